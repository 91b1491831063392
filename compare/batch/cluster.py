"""The Dask distributed engine of the batch runner: stories are submitted to a cluster (the one
at `address`, or a local cluster started for the run and stopped after it) and their results
gathered as they finish. Each Dask worker process keeps its `Session` across stories
(`batch.worker.worker_session`), so the models load once per worker.

Workers need `compare` and its pinned requirements installed, and must see the manifest's report
paths (a shared folder) or reach its URLs; only results travel back to this process, which writes
every file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from compare.batch.manifest import StoryTask
from compare.batch.worker import StoryResult, close_sessions, run_story
from compare.config import Config

log = logging.getLogger(__name__)


def local_cluster(workers: int) -> object:
    """A Dask cluster on this machine: `workers` processes of one thread each, on 127.0.0.1
    only, no dashboard. Its workers are not daemonic, so each may start the facts process."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )


def run_dask(
    tasks: Sequence[StoryTask], config: Config, prints: dict[str, str], workers: int, address: str | None
) -> Iterator[StoryResult]:
    """Results from the Dask cluster at `address` (e.g. tcp://host:8786), or from a local cluster
    of `workers` processes when there is none; a story whose task is lost (its worker died
    and the cluster gave up) fails with the reason."""
    from distributed import Client, as_completed

    from compare.batch.worker import result_of

    cluster = None if address else local_cluster(workers)
    client = Client(address or cluster)
    try:
        futures = {
            client.submit(run_story, t, config, prints[t.story], key=f"story-{prints[t.story]}", pure=False): t
            for t in tasks
        }
        for future in as_completed(futures):
            yield result_of(future, futures[future], prints)
            future.release()
    finally:
        if cluster is not None:
            client.run(close_sessions)  # stop each worker's facts process before the cluster
        client.close()
        if cluster is not None:
            cluster.close()
