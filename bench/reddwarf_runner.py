"""One red-dwarf 0.4.0 measurement, in var/bench-venv (red-dwarf is no dependency of Voices).

Started by bench/opinions.py, one process per measurement:

    var/bench-venv/bin/python bench/reddwarf_runner.py VOTES.npz [--repeats N]

VOTES.npz holds the latest vote per participant and statement (red-dwarf's pivot fails on
duplicates) as arrays `participants`, `statements`, `values`, `modified` and the ids in
`moderated_out`; bench/opinions.py writes it from the same data our analysis reads. Prints one
JSON line: k, the groups and the figures of bench/measure.py.
"""

import argparse
import json

import numpy as np

# Imported before measuring so that the call is timed without them; red-dwarf imports PCA lazily.
import sklearn.decomposition  # noqa: F401
from measure import measure
from reddwarf.implementations.polis import run_pipeline


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("votes")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    with np.load(args.votes) as data:
        columns = [data[name].tolist() for name in ("participants", "statements", "values")]
        modified = data["modified"].tolist()
        mod_out = data["moderated_out"].tolist()
    # red-dwarf's documented input: one dict per vote, as its Loader gives them.
    votes = [
        {"participant_id": p, "statement_id": s, "vote": v, "modified": t}
        for p, s, v, t in zip(*columns, modified, strict=True)
    ]
    del columns, modified

    def keep(result) -> tuple[int, dict[int, int]]:
        clusters = result.participants_df["cluster_id"]
        # <NA> = not clustered (fewer than 7 votes): left out, as in our `group_of`.
        groups = {int(p): int(g) for p, g in clusters.dropna().items()}
        k = int(result.clusterer.n_clusters) if result.clusterer is not None else 0
        return k, groups

    (k, groups), figures = measure(
        lambda: run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=0),
        keep,
        args.repeats,
    )
    print(json.dumps({"k": k, "groups": groups, **figures}))


if __name__ == "__main__":
    main()
