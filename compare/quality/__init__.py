"""quality: how good the judgement is, measured on the annotated references.

Owns finding and preparing the reference pairs (`references`), fitting the match model held out
by event (`learn`, `make train`), scoring every pair against the stock baselines (`evaluate`,
`make eval`) and the list of worst misses (`misses`). May import the session and everything
below it; nothing imports it but the command line of its own modules.
"""
