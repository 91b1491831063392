"""review: a reviewer's decisions, kept.

Owns the review store (`store`: decisions per pair in SQLite, applied to a comparison, stale when
a report's text changes). May import `compare.records`, `compare.config`, `compare.sqlite` and
`compare.judge` (to re-classify a relabelled pair).
"""
