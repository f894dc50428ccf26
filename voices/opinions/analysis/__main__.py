"""`python -m voices.opinions.analysis FOLDER [--json]`: analyse a Pol.is export folder, without a
database, and print the groups found."""

from __future__ import annotations

import argparse
import json
import sys

from .polis_export import ExportError, read_export, replay


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m voices.opinions.analysis",
        description="Find the opinion groups in a Pol.is export folder (comments.csv, votes.csv).",
    )
    parser.add_argument("folder")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    try:
        export = read_export(args.folder)
        result = replay(export)
    except (ExportError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    groups = {str(p): g for p, g in sorted(result.group_of.items())}
    if args.json:
        print(json.dumps({"k": result.k, "groups": groups, "seconds": round(result.seconds, 4)}))
    else:
        sizes = ", ".join(str(g.size) for g in result.groups)
        print(
            f"{result.n_participants} participants, {result.n_statements} statements, "
            f"{result.n_votes} votes: {result.k} groups ({sizes}) in {result.seconds:.3f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
