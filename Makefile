# allocnet: the two set-up commands are `make demo` and `make test` (see README.md).
CARGO ?= cargo

.PHONY: demo test test-rust system-deps lint bench compare clean

## Run the main job on the embedded default data.
demo: system-deps
	$(CARGO) run --release --quiet -- demo

## Run every test (installs what a fresh machine lacks first).
test: system-deps test-rust

test-rust:
	$(CARGO) test --all-targets
	$(CARGO) test --doc
	$(CARGO) test --no-default-features --test lp_engine --test flow_edge_cases

system-deps:
	@bash scripts/install-system-deps.sh

## Formatting and lints.
lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

## criterion benchmarks.
bench: system-deps
	$(CARGO) bench

clean:
	$(CARGO) clean

## Side-by-side timing against OR-Tools, networkx and HiGHS (see BENCHMARKS.md).
## Extra options go in COMPARE_ARGS, e.g. make compare COMPARE_ARGS="--wait-for-load 1.0".
BENCH_VENV ?= .venv-bench
compare: system-deps
	$(CARGO) build --release --bin allocnet
	test -x $(BENCH_VENV)/bin/python || python3 -m venv $(BENCH_VENV)
	echo '*' > $(BENCH_VENV)/.gitignore
	$(BENCH_VENV)/bin/pip install --quiet ortools networkx highspy numpy
	$(BENCH_VENV)/bin/python benches/compare_peers.py --allocnet "$${CARGO_TARGET_DIR:-target}/release/allocnet" $(COMPARE_ARGS)
