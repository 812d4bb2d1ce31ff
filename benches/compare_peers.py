#!/usr/bin/env python3
"""Side-by-side timing of allocnet against peer min-cost flow solvers.

One run generates the benchmark instances as DIMACS files with the release
``allocnet generate`` (seed 1; the same instances as ``benches/flow.rs``), then solves
each with

* allocnet: the release CLI ``allocnet flow FILE --engine E`` for each engine of
  ``--engines`` (default ``auto,simplex,cost-scaling``); the time is the ``"seconds"``
  of its JSON (solve only: no file reading); its peak resident memory (the whole
  process: DIMACS reader, network, solver, solution) from GNU ``time``;
* LEMON 1.3 (Debian's ``liblemon-dev``): ``benches/lemon/lemon_mcf.cc``, compiled by
  this script with ``g++ -O3``, times ``NetworkSimplex`` (block search) and
  ``CostScaling`` (its defaults: partial augment, alpha 16), construction + run, the
  same span as allocnet's ``seconds``;
* OR-Tools ``SimpleMinCostFlow`` (arcs added with the vectorised
  ``add_arcs_with_capacity_and_unit_cost``; only ``solve()`` is timed);
* networkx ``network_simplex`` on a ``MultiDiGraph`` (only up to ``--networkx-max-arcs``
  arcs; only the call is timed);
* HiGHS through ``highspy`` (the LP built with the vectorised ``addRows``/``addCols`` in
  CSC form, one column per arc with +1 in the tail's row and -1 in the head's row, rows
  ``out - in = supply``; only ``run()`` is timed; capped by HiGHS's ``time_limit``),
  twice: with its defaults, and with ``presolve=off`` (its presolve spends most of the
  time looking for dependent equations on these problems).

Every solver's optimal cost is checked to be *exactly* the same integer (for OR-Tools
and HiGHS the flows are also checked: integral, within bounds, conserving every supply,
and their cost recomputed in integers). A disagreement stops the run with exit status 1.

Each timing is the best of ``--repeats`` runs (default 3), each on a fresh solver
object; a run longer than ``--slow`` seconds is not repeated (the table says how many
runs each figure is the best of when that is fewer).

Usage: ``python benches/compare_peers.py [--allocnet target/release/allocnet]`` (or
``make compare``, which sets up the venv ``.venv-bench`` with ortools, networkx, highspy
and numpy). See BENCHMARKS.md for the results.
"""

from __future__ import annotations

import argparse
from importlib import metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SEED = 1
NETGEN_SEED = 13502460  # a seed of the DIMACS challenge's NETGEN runs
INFINITE = 2**63 - 1
ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"


def terminals(nodes: int) -> int:
    """Sources and sinks of an instance: 1% of the nodes each, at least 10 (as in flow.rs)."""
    return max(nodes // 100, 10)


# (family, nodes, arcs, label). The 20k-node / 1M-arc transshipment instance is the
# issue's target instance. "netgen-classic" is the real NETGEN (the port of the
# published generator, `allocnet generate netgen-classic`: 8 arcs per node, sqrt(n)
# sources and sinks, costs 1-10000, every arc capacitated 1-1000).
INSTANCES = [
    ("netgen-classic", 1_024, 8_192, "netgen-classic-8k"),
    ("netgen-classic", 16_384, 131_072, "netgen-classic-131k"),
    ("netgen-classic", 65_536, 524_288, "netgen-classic-524k"),
    ("netgen-classic", 131_072, 1_048_576, "netgen-classic-1M"),
    # GRIDGEN-like and GOTO-like grids (`allocnet generate gridgen|goto`): a square grid
    # of `nodes` nodes, 4 random arcs per node besides the grid arcs.
    ("gridgen", 16_384, 131_072, "gridgen-131k"),
    ("goto", 16_384, 98_304, "goto-98k"),
    ("goto", 21_904, 131_424, "goto-131k"),  # 148 x 148
    ("goto", 43_681, 262_086, "goto-262k"),  # 209 x 209
    ("goto", 65_536, 393_216, "goto-393k"),
    ("transshipment", 100, 1_000, "transshipment-1k"),
    ("netgen", 100, 1_000, "netgen-1k"),
    ("transshipment", 5_000, 100_000, "transshipment-100k"),
    ("netgen", 5_000, 100_000, "netgen-100k"),
    ("transshipment", 20_000, 1_000_000, "transshipment-1M"),
    ("netgen", 20_000, 1_000_000, "netgen-1M"),
]
TARGET_INSTANCE = "transshipment-1M"


@dataclass
class Problem:
    """A DIMACS min-cost flow problem as 0-based numpy arrays."""

    nodes: int
    supplies: np.ndarray  # int64, + source / - demand
    tails: np.ndarray  # int64, 0-based
    heads: np.ndarray
    lower: np.ndarray
    upper: np.ndarray  # INFINITE = no limit
    costs: np.ndarray

    @property
    def arcs(self) -> int:
        return len(self.tails)


def read_dimacs(path: Path) -> Problem:
    """Reads a DIMACS min-cost flow file (``p min``, ``n``, ``a`` lines)."""
    nodes = None
    node_lines = []
    arc_lines = []
    with open(path, "rb") as f:
        for line in f:
            tag = line[:2]
            if tag == b"a ":
                arc_lines.append(line[2:])
            elif tag == b"n ":
                node_lines.append(line[2:])
            elif tag == b"p ":
                words = line.split()
                if len(words) != 4 or words[1] != b"min":
                    raise SystemExit(f"{path}: bad problem line {line!r}")
                nodes = int(words[2])
                declared_arcs = int(words[3])
    if nodes is None:
        raise SystemExit(f"{path}: no 'p min' line")
    arcs = np.array(b" ".join(arc_lines).split(), dtype=np.int64).reshape(-1, 5)
    if len(arcs) != declared_arcs:
        raise SystemExit(f"{path}: {len(arcs)} arc lines, 'p' line says {declared_arcs}")
    supplies = np.zeros(nodes, dtype=np.int64)
    for line in node_lines:
        node, supply = line.split()
        supplies[int(node) - 1] += int(supply)
    return Problem(
        nodes=nodes,
        supplies=supplies,
        tails=arcs[:, 0] - 1,
        heads=arcs[:, 1] - 1,
        lower=arcs[:, 2].copy(),
        upper=arcs[:, 3].copy(),
        costs=arcs[:, 4].copy(),
    )


def exact_cost_of(problem: Problem, flows: np.ndarray, solver: str) -> int:
    """Checks that ``flows`` is an integral feasible flow; returns its cost as a Python int."""
    rounded = np.rint(flows)
    worst = float(np.max(np.abs(flows - rounded))) if len(flows) else 0.0
    if worst > 1e-6:
        raise SystemExit(f"{solver}: flows are not integral (off by up to {worst})")
    x = rounded.astype(np.int64)
    if np.any(x < problem.lower) or np.any(x > problem.upper):
        raise SystemExit(f"{solver}: a flow is out of its bounds")
    net_out = np.bincount(problem.tails, weights=x, minlength=problem.nodes) - np.bincount(
        problem.heads, weights=x, minlength=problem.nodes
    )
    if np.any(np.rint(net_out).astype(np.int64) != problem.supplies):
        raise SystemExit(f"{solver}: flow conservation fails")
    return sum(int(c) * int(f) for c, f in zip(problem.costs[x != 0], x[x != 0]))


@dataclass
class Timing:
    """Best time of a solver on one instance, or why there is none."""

    seconds: float | None = None
    runs: int = 0
    cost: int | None = None
    note: str = ""  # "timeout", "skipped (...)", "n/a (...)"
    extra: dict = field(default_factory=dict)


def best_of(run, repeats: int, slow: float) -> Timing:
    """Calls ``run()`` (-> (seconds, cost, extra) or a Timing with a note) up to
    ``repeats`` times, stopping early after a run slower than ``slow`` seconds."""
    best = Timing()
    for _ in range(repeats):
        result = run()
        if isinstance(result, Timing):  # timeout or failure: no figure
            return result
        seconds, cost, extra = result
        if best.cost is not None and cost != best.cost:
            raise SystemExit(f"the same solver gave two different costs: {best.cost} and {cost}")
        best.runs += 1
        best.cost = cost
        if best.seconds is None or seconds < best.seconds:
            best.seconds = seconds
            best.extra = extra
        if seconds > slow:
            break
    return best


# ---------------------------------------------------------------------------------
# The solvers


def run_allocnet(binary: Path, path: Path, timeout: float, engine: str = "simplex"):
    """One run of the release CLI: its JSON time and the process's peak RSS.

    The peak RSS is measured by ``/usr/bin/time`` (GNU time, Debian package ``time``)
    and not by ``wait4`` here: Linux carries a process's ``ru_maxrss`` across
    ``exec``, so a child forked from this (large) Python process would report
    Python's own footprint."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        command = [TIME, "-f", "%M", "-o", rss_file.name, str(binary), "flow", str(path), "--engine", engine]
        try:
            proc = subprocess.run(command, stdout=subprocess.PIPE, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return Timing(note=f"timeout (>{timeout:.0f} s)")
        if proc.returncode != 0:
            raise SystemExit(f"allocnet flow {path} failed with exit status {proc.returncode}")
        peak_kib = int(rss_file.read().split()[-1])  # GNU time's %M: maximum RSS in KiB
    report = json.loads(proc.stdout)
    if report["status"] != "optimal":
        raise SystemExit(f"allocnet: status {report['status']} on {path}")
    return report["seconds"], int(report["cost"]), {"peak_rss_bytes": peak_kib * 1024}


def build_lemon(data: Path) -> Path:
    """Compiles the LEMON harness into ``data`` (once per run)."""
    source = ROOT / "benches" / "lemon" / "lemon_mcf.cc"
    binary = data / "lemon_mcf"
    command = ["g++", "-O3", "-DNDEBUG", str(source), "-o", str(binary), "-llemon"]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"building the LEMON harness failed (apt-get install liblemon-dev g++):\n{proc.stderr}")
    return binary


def run_lemon(binary: Path, path: Path, algorithm: str, timeout: float):
    """One run of the LEMON harness: its own timing of construction + run."""
    try:
        proc = subprocess.run([str(binary), str(path), algorithm], stdout=subprocess.PIPE, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Timing(note=f"timeout (>{timeout:.0f} s)")
    if proc.returncode != 0:
        raise SystemExit(f"lemon_mcf {path} {algorithm} failed with exit status {proc.returncode}")
    report = json.loads(proc.stdout)
    if report["status"] != "optimal":
        raise SystemExit(f"LEMON {algorithm}: status {report['status']} on {path}")
    return report["seconds"], int(report["cost"]), {}


def run_ortools(problem: Problem):
    from ortools.graph.python import min_cost_flow

    if np.any(problem.lower != 0):
        raise SystemExit("OR-Tools SimpleMinCostFlow has no lower bounds; the instances have none")
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        problem.tails.astype(np.int32), problem.heads.astype(np.int32), problem.upper, problem.costs
    )
    smcf.set_nodes_supplies(np.arange(problem.nodes, dtype=np.int32), problem.supplies)
    start = time.perf_counter()
    status = smcf.solve()
    seconds = time.perf_counter() - start
    if status != smcf.OPTIMAL:
        raise SystemExit(f"OR-Tools: status {status}, expected OPTIMAL")
    flows = smcf.flows(np.arange(problem.arcs, dtype=np.int32))
    cost = exact_cost_of(problem, np.asarray(flows, dtype=np.float64), "OR-Tools")
    if cost != smcf.optimal_cost():
        raise SystemExit(f"OR-Tools: optimal_cost() {smcf.optimal_cost()} but its flows cost {cost}")
    return seconds, cost, {}


def networkx_graph(problem: Problem):
    import networkx as nx

    graph = nx.MultiDiGraph()
    for v in range(problem.nodes):
        graph.add_node(v, demand=-int(problem.supplies[v]))  # networkx: demand = inflow - outflow
    for t, h, u, c in zip(problem.tails.tolist(), problem.heads.tolist(), problem.upper.tolist(), problem.costs.tolist()):
        attrs = {"weight": c}
        if u != INFINITE:
            attrs["capacity"] = u
        graph.add_edge(t, h, **attrs)
    return graph


def run_networkx(graph):
    import networkx as nx

    start = time.perf_counter()
    cost, _ = nx.network_simplex(graph)
    seconds = time.perf_counter() - start
    return seconds, int(cost), {}


def run_highs(problem: Problem, time_limit: float, presolve: bool = True):
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    if not presolve:
        # With presolve on, most of HiGHS's time on these instances is its search for
        # dependent equations (the conservation rows sum to zero), capped by HiGHS
        # itself after a few seconds; without presolve its dual simplex is far faster.
        h.setOptionValue("presolve", "off")
    inf = highspy.kHighsInf
    n, m = problem.nodes, problem.arcs
    rows = problem.supplies.astype(np.float64)
    h.addRows(n, rows, rows, 0, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
    upper = np.where(problem.upper == INFINITE, inf, problem.upper.astype(np.float64))
    starts = np.arange(0, 2 * m, 2, dtype=np.int32)
    index = np.empty(2 * m, dtype=np.int32)
    index[0::2] = problem.tails
    index[1::2] = problem.heads
    values = np.tile(np.array([1.0, -1.0]), m)
    h.addCols(m, problem.costs.astype(np.float64), problem.lower.astype(np.float64), upper, 2 * m, starts, index, values)
    start = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - start
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kTimeLimit:
        return Timing(note=f"timeout (>{time_limit:.0f} s)")
    if status != highspy.HighsModelStatus.kOptimal:
        raise SystemExit(f"HiGHS: model status {h.modelStatusToString(status)}, expected Optimal")
    flows = np.asarray(h.getSolution().col_value, dtype=np.float64)
    cost = exact_cost_of(problem, flows, "HiGHS")
    objective = h.getInfo().objective_function_value
    if abs(objective - cost) > 1e-6 * max(1.0, abs(cost)):
        raise SystemExit(f"HiGHS: objective {objective} but its rounded flows cost {cost}")
    return seconds, cost, {"simplex_iterations": h.getInfo().simplex_iteration_count}


# ---------------------------------------------------------------------------------
# The run


def machine_summary() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, Python {platform.python_version()}"


def load_average() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def wait_for_low_load(max_load: float, max_wait: float) -> None:
    """Waits (up to ``max_wait`` s) until the 1-minute load average is below ``max_load``."""
    deadline = time.monotonic() + max_wait
    while os.getloadavg()[0] >= max_load:
        if time.monotonic() > deadline:
            print(f"warning: load average still {load_average()} after waiting {max_wait:.0f} s; measuring anyway")
            return
        print(f"load average {load_average()} >= {max_load}; waiting 30 s ...", flush=True)
        time.sleep(30)


def fmt_seconds(t: Timing) -> str:
    if t.seconds is None:
        return t.note
    s = f"{t.seconds:.3g}" if t.seconds < 100 else f"{t.seconds:.0f}"
    return s if t.runs >= 3 else f"{s} ({t.runs} run{'s' if t.runs > 1 else ''})"


def fmt_ratio(peer: Timing, base: Timing) -> str:
    if peer.seconds is None or base.seconds is None or base.seconds <= 0:
        return "-"
    return f"{peer.seconds / base.seconds:.1f}x"


def auto_targets(row: dict, t: dict) -> dict:
    """Issue 17's targets for one instance: auto <= 1.0x the fastest of LEMON
    NetworkSimplex, LEMON CostScaling and OR-Tools (at >= 100k arcs), and on NETGEN
    auto >= 2x faster than OR-Tools."""
    auto = t.get("allocnet_auto")
    if auto is None or auto.seconds is None:
        return {}
    peers = {k: t[k].seconds for k in ("lemon_simplex", "lemon_cost-scaling", "ortools") if k in t and t[k].seconds}
    out = {}
    if peers:
        best = min(peers.values())
        out["auto_over_fastest_peer"] = auto.seconds / best
    if "ortools" in peers:
        out["ortools_over_auto"] = peers["ortools"] / auto.seconds
    return out


def print_engine_table(results) -> None:
    """allocnet's engines beside LEMON and OR-Tools (best of runs, seconds)."""
    names = ["allocnet_auto", "allocnet", "allocnet_cost-scaling", "lemon_simplex", "lemon_cost-scaling", "ortools"]
    titles = ["auto", "simplex", "cost-scaling", "LEMON NS", "LEMON CS", "OR-Tools"]
    print("\n| instance | arcs | " + " | ".join(f"{x} s" for x in titles) + " | auto / fastest peer | OR-Tools / auto | auto peak RSS bytes/arc |")
    print("|" + "---|" * (len(titles) + 5))
    for row, t in results:
        cells = [fmt_seconds(t[n]) if n in t else "-" for n in names]
        tg = row.get("auto_targets", {})
        auto = t.get("allocnet_auto")
        rss = auto.extra.get("peak_rss_bytes") if auto is not None else None
        rss_cell = f"{rss / row['arcs']:.0f}" if rss else "-"
        print(f"| {row['instance']} | {row['arcs']} | " + " | ".join(cells)
              + f" | {tg.get('auto_over_fastest_peer', float('nan')):.2f}x | {tg.get('ortools_over_auto', float('nan')):.2f}x"
              + f" | {rss_cell} |")


def interleaved_pairs(binary: Path, path: Path, problem: Problem, pairs: int, timeout: float) -> dict:
    """Times ``allocnet flow --engine auto`` and OR-Tools in turns, ``pairs`` times, so
    that both see the same load; prints and returns the median of the per-pair ratios
    OR-Tools / auto (and their range)."""
    ratios, autos, peers = [], [], []
    for _ in range(pairs):
        auto, peer = run_allocnet(binary, path, timeout, "auto"), run_ortools(problem)
        if isinstance(auto, Timing) or isinstance(peer, Timing):
            return {"note": "a run failed or timed out"}
        if auto[1] != peer[1]:
            raise SystemExit(f"COST MISMATCH in the pairs on {path}: auto {auto[1]}, OR-Tools {peer[1]}")
        autos.append(auto[0])
        peers.append(peer[0])
        ratios.append(peer[0] / auto[0])
    result = {"pairs": pairs, "median": statistics.median(ratios), "min": min(ratios), "max": max(ratios),
              "auto_median_s": statistics.median(autos), "ortools_median_s": statistics.median(peers)}
    print(f"  OR-Tools / auto in {pairs} interleaved pairs: median {result['median']:.2f}x "
          f"(range {result['min']:.2f}-{result['max']:.2f}; auto {result['auto_median_s']:.3g} s, "
          f"OR-Tools {result['ortools_median_s']:.3g} s)", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--allocnet", type=Path, default=ROOT / "target" / "release" / "allocnet",
                        help="the release allocnet binary (default: target/release/allocnet)")
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data", help="where to write the instances")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing; the best is reported (default 3)")
    parser.add_argument("--slow", type=float, default=60.0,
                        help="a run longer than this many seconds is not repeated (default 60)")
    parser.add_argument("--timeout", type=float, default=900.0, help="time cap per solver run, seconds (default 900)")
    parser.add_argument("--networkx-max-arcs", type=int, default=100_000, help="largest instance given to networkx")
    parser.add_argument("--only", default=None, help="comma-separated instance labels to run (default: all)")
    parser.add_argument("--skip", default="", help="comma-separated peers not to run: ortools,networkx,highs,lemon")
    parser.add_argument("--engines", default="auto,simplex,cost-scaling",
                        help="allocnet engines to time (default auto,simplex,cost-scaling; simplex is always run)")
    parser.add_argument("--wait-for-load", type=float, default=None, metavar="LOAD",
                        help="first wait (up to --max-wait s) until the 1-min load average is below LOAD")
    parser.add_argument("--max-wait", type=float, default=1800.0)
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--pairs", type=int, default=0, metavar="N",
                        help="also time `auto` and OR-Tools in N interleaved pairs per instance and print the "
                             "median of the per-pair ratios (robust to drifting load; default 0: off)")
    args = parser.parse_args()

    import highspy
    import networkx
    from ortools import __version__ as ortools_version

    if not os.access(TIME, os.X_OK):
        raise SystemExit(f"{TIME} (GNU time) is needed for the peak RSS: apt-get install time")
    if not args.allocnet.is_file():
        raise SystemExit(f"{args.allocnet} not found: build it with `cargo build --release` first")
    args.data.mkdir(parents=True, exist_ok=True)
    chosen = INSTANCES
    if args.only:
        wanted = set(args.only.split(","))
        chosen = [i for i in INSTANCES if i[3] in wanted]
        if len(chosen) != len(wanted):
            raise SystemExit(f"unknown instance in --only; known: {[i[3] for i in INSTANCES]}")

    skip = set(args.skip.split(",")) - {""}
    if skip - {"ortools", "networkx", "highs", "lemon"}:
        raise SystemExit(f"--skip: unknown peer in {sorted(skip)}")
    engines = ["simplex"] + [e for e in args.engines.split(",") if e and e != "simplex"]
    lemon = None if "lemon" in skip else build_lemon(args.data)

    if args.wait_for_load is not None:
        wait_for_low_load(args.wait_for_load, args.max_wait)
    print(f"machine: {machine_summary()}")
    print(f"peers: OR-Tools {ortools_version}, networkx {networkx.__version__}, "
          f"highspy {metadata.version('highspy')}")
    print(f"timings: best of {args.repeats} runs (fewer for runs over {args.slow:.0f} s), seconds of solve only")
    load_start = load_average()
    print(f"load average (1/5/15 min) at start: {load_start}", flush=True)

    results = []
    for family, nodes, arcs, label in chosen:
        path = args.data / f"{label}.min"
        if family in ("gridgen", "goto"):
            k = 10 if family == "gridgen" else 1
            side = int(round(nodes**0.5))
            command = [str(args.allocnet), "generate", family, "--seed", str(SEED), "--rows", str(side),
                       "--cols", str(side), "-o", str(path)]
        elif family == "netgen-classic":
            k = int(nodes**0.5)
            command = [str(args.allocnet), "generate", family, "--seed", str(NETGEN_SEED), "--nodes", str(nodes),
                       "--arcs", str(arcs), "-o", str(path)]
        else:
            k = terminals(nodes)
            command = [str(args.allocnet), "generate", family, "--seed", str(SEED), "--nodes", str(nodes),
                       "--arcs", str(arcs), "--sources", str(k), "--sinks", str(k), "-o", str(path)]
        subprocess.run(command, check=True)
        problem = read_dimacs(path)
        print(f"\n{label}: {problem.nodes} nodes, {problem.arcs} arcs", flush=True)

        row = {"instance": label, "family": family, "nodes": problem.nodes, "arcs": problem.arcs,
               "sources": k, "sinks": k, "seed": SEED}
        timings = {}
        for engine in engines:
            name = "allocnet" if engine == "simplex" else f"allocnet_{engine}"
            timings[name] = best_of(lambda: run_allocnet(args.allocnet, path, args.timeout, engine), args.repeats, args.slow)
            print(f"  {name}  {fmt_seconds(timings[name])}", flush=True)
        skipped = Timing(note="skipped (--skip)")
        for algorithm in ("simplex", "cost-scaling"):
            name = f"lemon_{algorithm}"
            timings[name] = skipped if lemon is None else best_of(
                lambda: run_lemon(lemon, path, algorithm, args.timeout), args.repeats, args.slow)
            print(f"  LEMON {algorithm}  {fmt_seconds(timings[name])}", flush=True)
        timings["ortools"] = skipped if "ortools" in skip else best_of(lambda: run_ortools(problem), args.repeats, args.slow)
        print(f"  OR-Tools  {fmt_seconds(timings['ortools'])}", flush=True)
        if "networkx" in skip:
            timings["networkx"] = skipped
        elif problem.arcs <= args.networkx_max_arcs:
            graph = networkx_graph(problem)
            timings["networkx"] = best_of(lambda: run_networkx(graph), args.repeats, args.slow)
            del graph
        else:
            timings["networkx"] = Timing(note=f"not run (>{args.networkx_max_arcs} arcs)")
        print(f"  networkx  {fmt_seconds(timings['networkx'])}", flush=True)
        timings["highs"] = skipped if "highs" in skip else best_of(lambda: run_highs(problem, args.timeout), args.repeats, args.slow)
        print(f"  HiGHS     {fmt_seconds(timings['highs'])}", flush=True)
        timings["highs_nopresolve"] = (
            skipped if "highs" in skip
            else best_of(lambda: run_highs(problem, args.timeout, presolve=False), args.repeats, args.slow)
        )
        print(f"  HiGHS, presolve off  {fmt_seconds(timings['highs_nopresolve'])}", flush=True)

        if args.pairs > 0 and "ortools" not in skip:
            row["pairs_ortools_over_auto"] = interleaved_pairs(args.allocnet, path, problem, args.pairs, args.timeout)
        costs = {name: t.cost for name, t in timings.items() if t.cost is not None}
        row["costs"] = costs
        row["timings"] = {name: {"seconds": t.seconds, "runs": t.runs, "note": t.note, **t.extra}
                          for name, t in timings.items()}
        row["agree"] = len(set(costs.values())) == 1
        row["auto_targets"] = auto_targets(row, timings)
        results.append((row, timings))
        if not row["agree"]:
            print(f"\nCOST MISMATCH on {label}: {costs}", file=sys.stderr)
            return 1
        print(f"  optimal cost {costs['allocnet']} (all {len(costs)} solvers agree)", flush=True)

    load_end = load_average()
    print(f"\nload average (1/5/15 min) at end: {load_end}\n")
    header = ("| instance | nodes | arcs | allocnet s | OR-Tools s | networkx s | HiGHS s | HiGHS no-presolve s "
              "| OR-Tools/allocnet | networkx/allocnet | HiGHS/allocnet | HiGHS no-presolve/allocnet "
              "| allocnet peak RSS | bytes/arc |")
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for row, t in results:
        rss = t["allocnet"].extra.get("peak_rss_bytes")
        print(f"| {row['instance']} | {row['nodes']} | {row['arcs']} | {fmt_seconds(t['allocnet'])} "
              f"| {fmt_seconds(t['ortools'])} | {fmt_seconds(t['networkx'])} | {fmt_seconds(t['highs'])} "
              f"| {fmt_seconds(t['highs_nopresolve'])} "
              f"| {fmt_ratio(t['ortools'], t['allocnet'])} | {fmt_ratio(t['networkx'], t['allocnet'])} "
              f"| {fmt_ratio(t['highs'], t['allocnet'])} | {fmt_ratio(t['highs_nopresolve'], t['allocnet'])} "
              f"| {rss / 2**20:.1f} MiB | {rss / row['arcs']:.0f} |")
    print("\nratios: peer time / allocnet time (above 1: allocnet is faster); "
          "all optimal costs agree exactly (integers).")
    print_engine_table(results)

    target = next(((row, t) for row, t in results if row["instance"] == TARGET_INSTANCE), None)
    if target is not None:
        row, t = target
        a, o, h = t["allocnet"], t["ortools"], t["highs"]
        rss_per_arc = a.extra["peak_rss_bytes"] / row["arcs"]
        print(f"\ntargets on {TARGET_INSTANCE} ({row['nodes']} nodes, {row['arcs']} arcs):")
        if o.seconds is not None:
            share = a.seconds / o.seconds
            print(f"  allocnet / OR-Tools time = {share:.2f} (target <= 0.50): {'MET' if share <= 0.5 else 'MISSED'}")
        if h.seconds is not None:
            speedup = h.seconds / a.seconds
            print(f"  HiGHS / allocnet time = {speedup:.0f}x (target >= 50x): {'MET' if speedup >= 50 else 'MISSED'}")
        elif h.note.startswith("timeout"):
            print(f"  HiGHS: {h.note}; allocnet at {a.seconds:.3f} s is at least {args.timeout / a.seconds:.0f}x faster")
        else:
            print(f"  HiGHS: {h.note}")
        hn = t["highs_nopresolve"]
        if hn.seconds is not None:
            print(f"  HiGHS with presolve off / allocnet time = {hn.seconds / a.seconds:.1f}x (same target): "
                  f"{'MET' if hn.seconds / a.seconds >= 50 else 'MISSED'}")
        print(f"  peak RSS per arc = {rss_per_arc:.0f} bytes (target <= ~100): {'MET' if rss_per_arc <= 100 else 'MISSED'}")

    if args.json:
        args.json.write_text(json.dumps({"machine": machine_summary(), "load_start": load_start, "load_end": load_end,
                                         "repeats": args.repeats, "results": [r for r, _ in results]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
