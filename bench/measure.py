"""Time and peak memory of one call, measured the same way for our analysis and for red-dwarf.

Standard library only: imported both by bench/opinions.py (the project's venv) and by
bench/reddwarf_runner.py (var/bench-venv, where Voices is not installed). Each measured call runs
in a process of its own, started by bench/opinions.py, so the process's peak is that call's.
"""

import gc
import os
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

MIB = 2**20
PAGE = os.sysconf("SC_PAGE_SIZE")
# Set by bench/opinions.py for every worker: both sides get one BLAS/OpenMP thread, because on a
# 2-core machine shared with other work, threads waiting for a core distort times by up to 25×
# (docs/opinion-maps-baseline.md, "timings under load").
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def rss_mib() -> float:
    """Resident size now."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / MIB


def max_rss_mib() -> float:
    """The process's peak resident size so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Lower the peak to the present size (Linux ≥ 4.0), so that a transient peak while the input
    was read (CSV rows, the list of vote dicts) is not taken for the call's."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass  # then `exact` below tells whether the figure is still right


def measure(
    call: Callable[[], Any], keep: Callable[[Any], Any], repeats: int = 1, budget: float = 3.0
) -> tuple[Any, dict]:
    """Run `call` up to `repeats` times (fewer once `budget` seconds are spent: repeats steady
    the median of fast calls, slow ones need none); return `keep(first result)` and the figures.

    Peak = ru_maxrss after the first call minus the resident size just before it: the
    interpreter, imports and input are left out, for both sides alike. Later calls only add
    timings (their median is reported), and only what `keep` extracts outlives a call, so
    no call's memory is counted on top of another's.
    """
    gc.collect()
    _reset_peak()
    before = rss_mib()
    # ru_maxrss cannot be lowered below what the process inherited from its parent at exec
    # (Linux keeps the parent's peak), so the figure is only exact if the peak now is ~ `before`.
    exact = max_rss_mib() <= before + 1
    seconds = []
    kept = None
    peak = before
    for i in range(repeats):
        start = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - start)
        if i == 0:
            peak = max_rss_mib()
            kept = keep(result)
        del result
        if sum(seconds) > budget:
            break
    return kept, {
        "seconds": statistics.median(seconds),
        "peak_mib": peak - before,
        "abs_peak_mib": peak,
        "peak_exact": exact,
    }
