"""judge: an aligned pair and its facts in, a status and its conflicts out.

Owns the verdict of each row (`classify`) and the conflict rules, one module per family:
`figures` (counts, amounts, measures), `when` (dates and the years and days figures are of),
`speakers` (who said it, who holds a role), `negation` (negation, denial, extent, status), the
words around a fact they share (`words`) and the cascade over them (`conflicts`); whether two
aligned sentences are wire copy or reworded (`wording`). Conflicts stay
`Conflict` records here; words are made from them in `compare.export`. May import
`compare.records`, `compare.config` and `compare.facts`.
"""
