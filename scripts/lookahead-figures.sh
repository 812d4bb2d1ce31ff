#!/usr/bin/env bash
# Myopic vs lookahead rounds in the 4-week simulation (SYNTHETIC stock and consumption):
# unmet unit-days (all classes, and the highest class) and county unit-km, with and
# without forecast error. Usage: scripts/lookahead-figures.sh [path/to/allocnet]
set -euo pipefail
bin=${1:-target/release/allocnet}
for scenario in vastmanland sweden; do
  for error in 0 0.3; do
    for round in myopic lookahead; do
      "$bin" simulate "$scenario" --weeks 4 --round "$round" --forecast-error "$error" --format json |
        python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]
u = s["unmet_unit_days"]
km = s["county_unit_km"]
print(f"| {sys.argv[1]} | {sys.argv[2]} | {sys.argv[3]} | {sum(u)} | {u[0]} | {km:.0f} |")
' "$scenario" "$error" "$round"
    done
  done
done
