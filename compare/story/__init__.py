"""story: three or more reports of one event.

Owns preparing and comparing a story (`build`), grouping sentences into claims across the reports
(`claims`), the claim decisions of a reviewer (`claim_review`) and the story's tables and JSON
(`export`). May import everything below the session: `compare.pipeline`, `compare.review`,
`compare.export`, `compare.judge`, `compare.embed`, `compare.facts`, `compare.read` and the base
modules.
"""
