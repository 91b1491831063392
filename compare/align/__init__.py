"""align: two reports' sentences in, the pairs that say the same thing out.

Owns the text terms (`tfidf`: TF-IDF without scikit-learn), the candidate pairs and their
features (`candidates`) and the fitted match model that picks the pairs (`match`, with
`compare/models/match.json`). May import `compare.records`, `compare.config`, `compare.read`,
`compare.embed` and `compare.facts`, never a later stage.
"""
