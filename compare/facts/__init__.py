"""facts: what each sentence states about dates, people, organisations, places, numbers and quotes.

Owns the spaCy reading of a report (`nlp`, run in its own process: `process`), one extractor per
kind (`dates`, `names`, `numbers`, `quotes`, with the general-English word lists in `lexicon`),
names made canonical across reports (`extract`, the stage's entry points) and the facts cache
(`cache`). May import `compare.records`, `compare.config`, `compare.sqlite` and
`compare.embed.cache` (the one cache file it shares), never a later stage. This `__init__`
imports nothing, so `compare.facts.process` starts spaCy's process before numpy is loaded.
"""
