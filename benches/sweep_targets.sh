#!/usr/bin/env bash
# The sweep targets of issue 14, end to end from the CLI (wall time and peak memory by
# /usr/bin/time -v). Usage: benches/sweep_targets.sh [path/to/allocnet]
# (default: target/release/allocnet; build it with `cargo build --release`).
# Synthetic base figures (the built-in scenarios); the seed is fixed.
set -euo pipefail
bin=${1:-target/release/allocnet}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat > "$out/sweden_county.json" <<'SPEC'
{"parameters": [
  {"name": "consumption", "target": "consumption", "per": "county", "distribution": "lognormal", "mu": 0.0, "sigma": 0.25},
  {"name": "stock", "target": "stock", "per": "item", "distribution": "uniform", "low": 0.7, "high": 1.2}]}
SPEC
run() {
  echo "== $*"
  /usr/bin/time -v "$bin" "$@" --quiet --out "$out/r" 2> "$out/time.txt" | tail -1
  grep -E 'Elapsed \(wall|Maximum resident' "$out/time.txt"
}
uptime
run sweep vastmanland --spec examples/sweeps/vastmanland_uncertainty.json --samples 10000 --seed 1 --threads 2
run sweep sweden --spec "$out/sweden_county.json" --samples 1000 --seed 1 --threads 2
run sweep vastmanland --spec examples/sweeps/vastmanland_uncertainty.json --samples 100000 --seed 1 --threads 2
