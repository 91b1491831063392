"""read: a report in, an `Article` and its sentences out.

Owns loading files, pasted text and HTML (`load`), fetching http(s) addresses safely (`fetch`) and
splitting into sentences and clauses (`split`). May import `compare.records` and `compare.config`
only.
"""
