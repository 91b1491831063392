"""embed: sentences in, L2-normalised vectors out.

Owns the encoders and their loading (`encoders`: sentence-transformers, int8), the default ONNX
Runtime backend (`onnx`) and the on-disk embedding cache (`cache`, one SQLite file that the facts
cache shares). May import `compare.records`, `compare.config` and `compare.sqlite` only.
"""
