"""`python -m voices.opinions.analysis.warm`: compile the analysis before its first use.

Its inner loops are compiled by numba when first called and the machine code is cached beside
the modules. Compiling takes 15–40 s on a 2-core machine, so `make install`, `make test`,
`make run` and `make bench` do it up front: no page, import, test or benchmark waits for the
compiler. When the cache is current this takes about a second.
"""

from __future__ import annotations

import numpy as np

from . import analyse
from .polis_export import Export, replay


def warm() -> None:
    """Run both entry points once, on a small made-up map, with the types they get in use."""
    rng = np.random.default_rng(0)
    people, statements = 40, 12
    p = np.repeat(np.arange(people, dtype=np.int64), statements)
    s = np.tile(np.arange(statements, dtype=np.int64), people)
    v = rng.integers(-1, 2, len(p)).astype(np.int8)
    analyse(p, s, v, moderated_out=[0])
    export = Export(p, s, v, np.arange(len(p), dtype=np.float64), np.array([0]), {})
    replay(export, updates=5)


if __name__ == "__main__":
    warm()
