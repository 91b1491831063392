"""batch: a corpus of stories, run by a researcher.

Owns the manifest (`manifest`), one story's run in a worker (`worker`), the serial, pool and
resumable runner (`run`), the Dask engine (`cluster`), the summary of a finished run (`summary`)
and the `compare batch` commands (`cli`). May import the session and everything below it, never
`compare.cli` or the dashboard.
"""
