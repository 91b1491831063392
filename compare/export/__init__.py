"""export: a comparison in, words and files out (the edge where records become text).

Owns the CSV and JSON rows of the contracts (`rows`), the plain-language explanations of each
row and conflict (`explain`) and the printable HTML report (`report`). May import
`compare.records`, `compare.config`, `compare.facts` and `compare.judge`, never the pipeline,
the session or a front end.
"""
