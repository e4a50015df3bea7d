"""Memory: the garbage collector tuned once at start-up, and a burst's garbage handed back
once the process is idle."""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable


def tune_garbage_collector() -> None:
    """Collect less often: listings create many small objects that all stay alive.

    With CPython's default thresholds, reading 20,000 backups triggered enough full
    collections (each walking every backup already read) to cost ~20% of the client's
    time in bench/bench_paging.py. `gc.freeze` keeps start-up objects out of every scan.
    """
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def release_memory() -> None:
    """Give back what a burst of work left behind, once the process is idle.

    With the thresholds above an idle process allocates too little to trigger a
    collection, so the garbage of the last burst (reference cycles: tracebacks, timed-out
    waits) would stay until the next one; and glibc keeps freed memory for reuse rather
    than returning it. Both made resident memory after a burst look like a leak
    (bench/bench_soak.py).
    """
    gc.collect()
    if _malloc_trim is not None:
        _malloc_trim(0)


def _libc_malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None elsewhere (musl, macOS)."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_malloc_trim = _libc_malloc_trim()
