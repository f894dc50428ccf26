"""Opinion maps: our analysis (voices/opinions/analysis) against red-dwarf 0.4.0, in the same run.

red-dwarf is the Python reimplementation of Pol.is's math, measured before in
docs/opinion-maps-baseline.md. Like bench/run.py, the figures that travel across machines are
ratios against a reference measured alongside: here red-dwarf, on the same votes, the same
machine, at the same time. Run with `make bench`, which installs red-dwarf in var/bench-venv
(never in the project's venv) and calls

    .venv/bin/python bench/opinions.py --reddwarf-python var/bench-venv/bin/python

Two parts:
- the real Pol.is conversations in ../shared/polis: groups compared with Pol.is's own (ARI, from
  voices.opinions.analysis.agreement), time and memory of each side;
- synthetic votes with planted groups at 50,000 and 100,000 participants (red-dwarf only at
  50,000: at 100,000 it takes about 4 minutes and 6 GiB).

Each measured run is a process of its own (so its peak memory is that run's), with one
BLAS/OpenMP thread; bench/measure.py says how time and memory are taken. This process only
starts them and prints: it stays small, because a child inherits its parent's peak as the floor
of its own (see measure.py).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from measure import ONE_THREAD, measure

ROOT = Path(__file__).resolve().parents[1]
POLIS = ROOT.parent / "shared" / "polis"
DATA = ROOT / "var" / "bench-opinions"
REDDWARF_PYTHON = ROOT / "var" / "bench-venv" / "bin" / "python"

# Small conversations take milliseconds: the median of a few runs is steadier (measure.py stops
# repeating after 3 s, to keep `make bench` short).
REPEATS_OURS = 5
REPEATS_REDDWARF = 3  # as in the baseline
# (participants, statements, votes, seed, red-dwarf too?): the baseline's sizes and seeds.
SCALES = [(50_000, 1_000, 2_500_000, 1, True), (100_000, 1_000, 5_000_000, 2, False)]
SYNTH_VERSION = 1  # part of the file name: bump it when make_synthetic changes

GOAL_SPEEDUP_50K = 10  # ours at least 10× faster than red-dwarf ...
GOAL_MEMORY_SHARE_50K = 0.25  # ... in at most a quarter of its memory
GOAL_SECONDS_100K = 15
GOAL_MIB_100K = 1.5 * 1024
GOAL_SECONDS_CONVERSATION = 0.1
GOAL_MEDIAN_ARI = 0.85
# Replay budgets (updates) tried besides the default, to show how much agreement with Pol.is
# depends on the history assumed.
SENSITIVITY_UPDATES = (100, 150, 250, 300, 400)


# --- Data, made once per run in a process of its own (`--prepare`) ---------------------------


def synthetic_path(n: int, m: int, votes: int, seed: int) -> Path:
    return DATA / f"synth-v{SYNTH_VERSION}-{n}x{m}-{votes}-seed{seed}.npz"


def make_synthetic(n: int, m: int, n_votes: int, seed: int, path: Path) -> None:
    """Votes with 4 planted groups (40/30/20/10 % of people), the baseline's generator: each
    group leans agree (P 0.8), disagree (0.2) or neither (0.5) on each statement; the voted
    cells are drawn without replacement (so one vote per cell), 15 % of votes are passes."""
    import numpy as np

    rng = np.random.default_rng(seed)
    shares = np.array([0.4, 0.3, 0.2, 0.1])
    truth = rng.choice(len(shares), size=n, p=shares).astype(np.int8)
    lean = rng.choice(np.array([0.8, 0.2, 0.5]), size=(len(shares), m))
    cells = np.sort(rng.choice(n * m, size=n_votes, replace=False))
    participants = (cells // m).astype(np.int32)
    statements = (cells % m).astype(np.int32)
    del cells
    agree = rng.random(n_votes) < lean[truth[participants], statements]
    values = np.where(agree, 1, -1).astype(np.int8)
    values[rng.random(n_votes) < 0.15] = 0
    tmp = path.with_suffix(".tmp.npz")  # no half-written file if interrupted
    np.savez(
        tmp,
        participants=participants,
        statements=statements,
        values=values,
        modified=np.zeros(n_votes, np.int64),
        moderated_out=np.zeros(0, np.int64),
        truth=truth,
    )
    tmp.replace(path)


def export_for_reddwarf(folder: Path, path: Path) -> None:
    """The conversation's votes as red-dwarf needs them, from the same reader ours uses: one vote
    per participant and statement, the latest (red-dwarf's pivot fails on duplicates). Without
    votes.csv (american-assembly.bowling-green) read_export rebuilds the final votes from
    participants-votes.csv, with no times."""
    import numpy as np

    from voices.opinions.analysis import State, index_votes, last_per_cell
    from voices.opinions.analysis.polis_export import read_export

    export = read_export(folder)
    if export.timestamps is not None:
        order = np.argsort(export.timestamps, kind="stable")
        modified = np.round(export.timestamps[order] * 1000).astype(np.int64)  # ms, as Pol.is
    else:
        order = np.arange(len(export.values))
        modified = np.zeros(len(order), np.int64)
    cells = np.stack([export.participants[order], export.statements[order]], axis=1)
    # The last vote per (participant, statement) cell, kept in order of arrival.
    rows, cols = index_votes(State(), cells[:, 0], cells[:, 1])
    latest = np.sort(last_per_cell(rows, cols, rows.max(initial=-1) + 1, cols.max(initial=-1) + 1))
    np.savez(
        path,
        participants=cells[latest, 0],
        statements=cells[latest, 1],
        values=export.values[order][latest],
        modified=modified[latest],
        moderated_out=export.moderated_out,
    )


def prepare(polis: Path) -> None:
    (DATA / "polis").mkdir(parents=True, exist_ok=True)
    folders = conversations(polis)
    for folder in folders:
        export_for_reddwarf(folder, DATA / "polis" / f"{folder.name}.npz")
    for n, m, votes, seed, _ in SCALES:
        path = synthetic_path(n, m, votes, seed)
        if not path.exists():  # seeded, so the file is the same every time: made once
            make_synthetic(n, m, votes, seed, path)
    print(json.dumps({"conversations": len(folders)}))


def conversations(polis: Path) -> list[Path]:
    if not polis.is_dir():
        return []
    return sorted(p for p in polis.iterdir() if (p / "comments.csv").is_file())


# --- Our side of a measurement (`--worker`), in the project's venv ---------------------------


def worker(kind: str, path: str) -> None:
    import numpy as np

    from voices.opinions.analysis import analyse
    from voices.opinions.analysis.polis_export import read_export, replay, schedule
    from voices.opinions.analysis.warm import warm

    # The compiled loops are loaded from numba's cache before timing, as imports are: a one-off
    # cost per process (about 1 s), not part of any analysis.
    warm()

    def keep(result) -> tuple[int, dict[int, int]]:
        return result.k, result.group_of

    if kind == "export":
        # As Pol.is saw it: replayed in order of arrival. Reading the CSVs is not timed.
        export = read_export(path)
        (k, groups), figures = measure(lambda: replay(export), keep, REPEATS_OURS)
        figures["polis_groups"] = export.polis_groups
        figures["updates"] = 1 if export.timestamps is None else len(schedule(export.timestamps))
        # The same replay cut into fewer or more updates (not timed): how much the groups
        # depend on the history assumed, since Pol.is's own schedule is not in the export.
        if export.timestamps is not None:
            figures["budgets"] = {
                n: replay(export, updates=n).group_of for n in SENSITIVITY_UPDATES
            }
    else:
        # One update of the whole matrix, from the arrays red-dwarf's runner reads too.
        with np.load(path) as data:
            p, s, v = data["participants"], data["statements"], data["values"]
        (k, groups), figures = measure(lambda: analyse(p, s, v), keep)
    print(json.dumps({"k": k, "groups": groups, **figures}))


# --- The run ---------------------------------------------------------------------------------


def spawn(command: list[str], timeout: int) -> dict | str:
    """Run one measurement process; its last line of output is JSON. A string is an error."""
    env = {**os.environ, **ONE_THREAD}
    try:
        done = subprocess.run(  # noqa: S603 - our own scripts, arguments built here
            command, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        return f"stopped after {timeout} s"
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        return lines[-1][:120]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("groups", "polis_groups"):  # JSON keys are strings
        if key in result:
            result[key] = {int(p): g for p, g in result[key].items()}
    if "budgets" in result:
        result["budgets"] = {
            int(n): {int(p): g for p, g in groups.items()}
            for n, groups in result["budgets"].items()
        }
    return result


def ours(kind: str, path: Path, timeout: int) -> dict | str:
    return spawn([sys.executable, __file__, "--worker", kind, str(path)], timeout)


def reddwarf(python: Path | None, path: Path, repeats: int, timeout: int) -> dict | str:
    if python is None:
        return "not installed"
    runner = Path(__file__).with_name("reddwarf_runner.py")
    return spawn([str(python), str(runner), str(path), "--repeats", str(repeats)], timeout)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a is not None and b else "—"


def num(x: float | int | None, spec: str) -> str:
    return "—" if x is None else format(x, spec)


def field(run: dict | str, key: str):
    return run[key] if isinstance(run, dict) else None


def both(our: dict | str, rd: dict | str, key: str, spec: str) -> str:
    return f"{num(field(our, key), spec)} / {num(field(rd, key), spec)}"


def mib(run: dict | str) -> float | None:
    """The call's peak, or None when the process could not measure it exactly (see measure.py)."""
    if not isinstance(run, dict):
        return None
    return run["peak_mib"] if run["peak_exact"] else None


def table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        # Names left-aligned, figures right-aligned.
        cells = [r[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        print("  ".join(cells).rstrip())


def problems(label: str, *runs: dict | str) -> None:
    """Runs that failed or whose memory could not be measured, under the table."""
    for side, run in zip(("ours", "red-dwarf"), runs, strict=True):
        if isinstance(run, str) and run not in ("not installed", "not run"):
            print(f"  {label}, {side}: {run}")
        elif isinstance(run, dict) and not run["peak_exact"]:
            print(f"  {label}, {side}: peak not measurable here (see bench/measure.py)")


def shown(path: Path) -> str:
    """A path as seen from the repository, e.g. ../shared/polis."""
    path = path.resolve()
    return os.path.relpath(path, ROOT) if path.is_relative_to(ROOT.parent) else str(path)


def real_conversations(polis: Path, rd_python: Path | None) -> dict:
    """Table of the real conversations; returns what the goals need."""
    folders = conversations(polis)
    if not folders:
        state = "holds no conversation" if polis.is_dir() else "is missing"
        print(f"\n{shown(polis)} {state}: the real Pol.is conversations are skipped.")
        return {}
    runs = []
    for folder in folders:
        runs.append(
            (
                folder.name,
                ours("export", folder, timeout=120),
                reddwarf(rd_python, DATA / "polis" / f"{folder.name}.npz", REPEATS_REDDWARF, 120),
            )
        )
    # numpy is imported here, after the measurements of small runs (see the module's docstring).
    from voices.opinions.analysis.agreement import agreement_with

    print(
        f"\nReal Pol.is conversations in {shown(polis)}, groups compared with Pol.is's (ARI).\n"
        f"Ours: replay(read_export(folder)), median of up to {REPEATS_OURS} runs; reading the CSVs"
        " is not timed.\n"
        "ARI ours, other budgets: the same replay cut into "
        + ", ".join(map(str, SENSITIVITY_UPDATES))
        + " updates instead of the default (lowest–highest): Pol.is's own schedule of updates"
        " is not in the export, and its groups depend on it.\n"
        "red-dwarf: run_pipeline(random_state=0) on the latest vote per participant and statement,"
        f" median of up to {REPEATS_REDDWARF} calls; building its vote dicts is not timed.\n"
        "Data: Pol.is open data, CC BY 4.0, The Computational Democracy Project; see "
        f"{shown(polis / 'ATTRIBUTION.md')}."
    )
    header = [
        "conversation", "k Pol.is", "k ours", "k rd", "ARI ours", "ARI rd",
        "ARI ours, other budgets", "s ours", "s rd", "rd/ours s", "updates", "ms/update",
        "MiB ours", "MiB rd", "rd/ours MiB", "abs MiB ours / rd",
    ]  # fmt: skip
    rows, results = [], {"seconds": {}, "ari ours": {}, "ari rd": {}}
    for name, our, rd in runs:
        polis_groups = field(our, "polis_groups")
        ari_ours = ari_rd = None
        spread = "—"
        if polis_groups is not None:
            ari_ours = agreement_with(polis_groups, our["groups"])
            if isinstance(rd, dict):
                ari_rd = agreement_with(polis_groups, rd["groups"])
            others = [agreement_with(polis_groups, g) for g in our.get("budgets", {}).values()]
            if others:
                spread = f"{min(others):.2f}–{max(others):.2f}"
        updates = field(our, "updates")
        per_update = 1000 * our["seconds"] / updates if isinstance(our, dict) and updates else None
        results["seconds"][name] = field(our, "seconds")
        results["ari ours"][name] = ari_ours
        results["ari rd"][name] = ari_rd
        rows.append(
            [
                name,
                num(len(set(polis_groups.values())) if polis_groups else None, "d"),
                num(field(our, "k"), "d"),
                num(field(rd, "k"), "d"),
                num(ari_ours, ".3f"),
                num(ari_rd, ".3f"),
                spread,
                num(field(our, "seconds"), ".3f"),
                num(field(rd, "seconds"), ".3f"),
                ratio(field(rd, "seconds"), field(our, "seconds")),
                num(updates, "d"),
                num(per_update, ".2f"),
                num(mib(our), ".1f"),
                num(mib(rd), ".1f"),
                ratio(mib(rd), mib(our)),
                both(our, rd, "abs_peak_mib", ".0f"),
            ]
        )
    table(header, rows)
    for name, our, rd in runs:
        problems(name, our, rd)
    known = [a for a in results["ari ours"].values() if a is not None]
    known_rd = [a for a in results["ari rd"].values() if a is not None]
    print(
        f"Median ARI vs Pol.is: ours {num(statistics.median(known) if known else None, '.3f')}, "
        f"red-dwarf {num(statistics.median(known_rd) if known_rd else None, '.3f')}."
    )
    return results


def scale(rd_python: Path | None) -> dict:
    import numpy as np

    from voices.opinions.analysis.agreement import agreement_with

    print(
        f"\nScale: synthetic votes with 4 planted groups, 1 cell in 20 voted (seeded, in"
        f" {DATA.relative_to(ROOT)}/, the same file for both sides).\n"
        "Ours: analyse() on the whole matrix, one update; red-dwarf: run_pipeline(random_state=0),"
        " one call. Loading the input is not timed."
    )
    header = [
        "participants", "votes", "k ours", "k rd", "ARI planted ours / rd", "s ours", "s rd",
        "rd/ours s", "MiB ours", "MiB rd", "rd/ours MiB", "abs MiB ours / rd",
        "load 1 min before / after",
    ]  # fmt: skip
    rows, results = [], {}
    for n, m, votes, seed, with_rd in SCALES:
        path = synthetic_path(n, m, votes, seed)
        before = os.getloadavg()[0]
        our = ours("votes", path, timeout=300)
        rd = reddwarf(rd_python, path, 1, 400) if with_rd else "not run"
        with np.load(path) as data:
            truth = dict(enumerate(data["truth"].tolist()))
        planted = [
            num(agreement_with(truth, run["groups"]), ".3f") if isinstance(run, dict) else "—"
            for run in (our, rd)
        ]
        results[n] = (our, rd)
        rows.append(
            [
                f"{n:,}",
                f"{votes:,}",
                num(field(our, "k"), "d"),
                num(field(rd, "k"), "d"),
                " / ".join(planted),
                num(field(our, "seconds"), ".2f"),
                num(field(rd, "seconds"), ".1f"),
                ratio(field(rd, "seconds"), field(our, "seconds")),
                num(mib(our), ".0f"),
                num(mib(rd), ".0f"),
                ratio(mib(rd), mib(our)),
                both(our, rd, "abs_peak_mib", ".0f"),
                f"{before:.2f} / {os.getloadavg()[0]:.2f}",
            ]
        )
        for run in (our, rd):  # the groups are no longer needed: keep this process small
            if isinstance(run, dict):
                del run["groups"]
    table(header, rows)
    for n, (our, rd) in results.items():
        problems(f"{n:,}", our, rd)
    print(
        "red-dwarf is not run at 100,000: about 4 minutes and 5.9 GiB there "
        "(docs/opinion-maps-baseline.md, 252 s and 6,077 MiB max RSS)."
    )
    return results


def verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("PASS" if ok else "FAIL")


def goals(real: dict, big: dict) -> None:
    print("\nGoals (a measurement: a FAIL does not fail `make bench`):")
    our, rd = big.get(50_000, (None, None))
    s_ours, s_rd = field(our, "seconds"), field(rd, "seconds")
    m_ours, m_rd = mib(our), mib(rd)
    print(
        f"  {verdict(None if None in (s_ours, s_rd) else s_rd >= GOAL_SPEEDUP_50K * s_ours)}"
        f"  50,000: ours ≥ {GOAL_SPEEDUP_50K}× as fast as red-dwarf (rd/ours {ratio(s_rd, s_ours)})"
    )
    print(
        f"  {verdict(None if None in (m_ours, m_rd) else m_ours <= GOAL_MEMORY_SHARE_50K * m_rd)}"
        f"  50,000: ours ≤ ¼ of red-dwarf's peak memory (rd/ours {ratio(m_rd, m_ours)})"
    )
    our = big.get(100_000, (None, None))[0]
    s_ours, m_ours = field(our, "seconds"), mib(our)
    print(
        f"  {verdict(None if s_ours is None else s_ours < GOAL_SECONDS_100K)}"
        f"  100,000: ours < {GOAL_SECONDS_100K} s ({num(s_ours, '.2f')} s)"
    )
    print(
        f"  {verdict(None if m_ours is None else m_ours < GOAL_MIB_100K)}"
        f"  100,000: ours < {GOAL_MIB_100K / 1024} GiB peak ({num(m_ours, '.0f')} MiB)"
    )
    seconds = real.get("seconds", {})
    slow = [
        f"{name} failed" if s is None else f"{name} {s:.3f} s"
        for name, s in seconds.items()
        if s is None or s >= GOAL_SECONDS_CONVERSATION
    ]
    print(
        f"  {verdict(None if not seconds else not slow)}"
        f"  every real conversation: ours < {GOAL_SECONDS_CONVERSATION} s"
        + (f" (not: {', '.join(slow)})" if slow else "")
    )
    aris = [a for a in real.get("ari ours", {}).values() if a is not None]
    median = statistics.median(aris) if aris else None
    print(
        f"  {verdict(None if median is None else median >= GOAL_MEDIAN_ARI)}"
        f"  median ARI ours vs Pol.is ≥ {GOAL_MEDIAN_ARI} ({num(median, '.3f')})"
    )
    pairs = [
        (name, a, real["ari rd"][name])
        for name, a in real.get("ari ours", {}).items()
        if a is not None and real["ari rd"][name] is not None
    ]
    worse = [f"{name} {a:.3f} < {b:.3f}" for name, a, b in pairs if a < b - 1e-9]
    print(
        f"  {verdict(None if not pairs else not worse)}"
        "  ARI ours ≥ red-dwarf on every conversation"
        + (f" (not: {'; '.join(worse)})" if worse else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reddwarf-python", type=Path, default=REDDWARF_PYTHON)
    parser.add_argument("--polis", type=Path, default=POLIS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # voices.opinions.analysis, as bench/run.py does
    if args.worker:
        return worker(*args.worker)
    if args.prepare:
        return prepare(args.polis)

    print(
        "\nOpinion maps: ours (voices/opinions/analysis) vs red-dwarf 0.4.0 (rd), same run.\n"
        f"{os.cpu_count()} cores; one BLAS/OpenMP thread per side; each run in a process of its"
        " own.\n"
        "MiB: peak resident size during the call minus the size just before it (interpreter,"
        " imports and input left out); abs: the process's peak.\n"
        "rd/ours: how many times ours red-dwarf takes."
    )
    print(f"load average (1, 5, 15 min) before: {load()}")
    if os.getloadavg()[0] >= (os.cpu_count() or 1):
        print("The machine is busy: times are longer than on a quiet one, ratios less reliable.")
    rd_python = args.reddwarf_python if args.reddwarf_python.exists() else None
    if rd_python is None:
        print(f"red-dwarf is not installed at {args.reddwarf_python} (`make bench` installs it).")
    made = spawn([sys.executable, __file__, "--prepare", "--polis", str(args.polis)], 600)
    if isinstance(made, str):
        raise SystemExit(f"preparing the data failed: {made}")
    real = real_conversations(args.polis, rd_python)
    big = scale(rd_python)
    goals(real, big)
    print(f"load average (1, 5, 15 min) after: {load()}")


if __name__ == "__main__":
    main()
