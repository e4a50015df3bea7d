"""Process-wide tuning the `backupbot` process applies once at start-up."""

from __future__ import annotations

import gc


def tune_garbage_collector() -> None:
    """Collect less often: listings create many small objects that all stay alive.

    With CPython's default thresholds, reading 20,000 backups triggered enough full
    collections (each walking every backup already read) to cost ~20% of the client's
    time in bench/bench_paging.py. `gc.freeze` keeps start-up objects out of every scan.
    """
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
