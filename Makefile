# allocnet: the two set-up commands are `make demo` and `make test` (see README.md).
CARGO ?= cargo
PYTHON ?= python3
VENV ?= .venv
VENV_PYTHON := $(VENV)/bin/python

.PHONY: demo test test-deps test-rust test-python python-env system-deps lint bench compare clean fuzz explore

## Run the main job on the embedded default data.
demo: system-deps
	$(CARGO) run --release --quiet -- demo

## Run every test (installs what a fresh machine lacks first).
test: test-deps test-rust test-python

## The property tests draw their cases from one fixed seed, so a CI run is the same
## on every machine; `make explore` draws new cases (see below).
PROPTEST_SEED ?= 2020
test-rust: export CARGO_INCREMENTAL = 0
test-rust: export PROPTEST_RNG_SEED = $(PROPTEST_SEED)
test-rust:
	$(CARGO) test --all-targets
	$(CARGO) test --doc
	$(CARGO) test --no-default-features --test lp_engine --test flow_edge_cases

## The Python package in a virtual environment: `pip install .` builds the bindings
## (maturin comes from pyproject.toml's build-system), then the test requirements.
python-env: system-deps
	$(PYTHON) -m venv $(VENV)
	$(VENV_PYTHON) -m pip install --quiet --upgrade pip
	$(VENV_PYTHON) -m pip install --quiet -r tests/python/requirements.txt
	$(VENV_PYTHON) -m pip install --quiet --force-reinstall --no-deps .

## The Python tests (pytest + hypothesis, mypy.stubtest, the notebook in a real kernel).
test-python: python-env
	$(VENV_PYTHON) -m pytest tests/python -q -p no:cacheprovider

system-deps:
	@bash scripts/install-system-deps.sh

## The build's system packages plus a headless browser for the guidance page's test.
test-deps:
	@bash scripts/install-system-deps.sh --with-browser

## Formatting and lints.
lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps

## criterion benchmarks.
bench: system-deps
	$(CARGO) bench

clean:
	$(CARGO) clean

## Side-by-side timing against OR-Tools, networkx and HiGHS (see BENCHMARKS.md).
## Extra options go in COMPARE_ARGS, e.g. make compare COMPARE_ARGS="--wait-for-load 1.0".
BENCH_VENV ?= .venv-bench
compare: system-deps
	bash scripts/install-system-deps.sh --with-lemon
	$(CARGO) build --release --bin allocnet
	test -x $(BENCH_VENV)/bin/python || python3 -m venv $(BENCH_VENV)
	echo '*' > $(BENCH_VENV)/.gitignore
	$(BENCH_VENV)/bin/pip install --quiet ortools networkx highspy numpy
	$(BENCH_VENV)/bin/python benches/compare_peers.py --allocnet "$${CARGO_TARGET_DIR:-target}/release/allocnet" $(COMPARE_ARGS)

## New property-test cases: EXPLORE_ROUNDS runs of every Rust property test, each
## from a fresh random seed (a failure is saved to tests/*.proptest-regressions,
## which `make test` replays first).
EXPLORE_ROUNDS ?= 10
explore:
	for i in $$(seq 1 $(EXPLORE_ROUNDS)); do \
	  seed=$$(od -An -N4 -tu4 /dev/urandom | tr -d ' '); echo "round $$i: PROPTEST_RNG_SEED=$$seed"; \
	  PROPTEST_RNG_SEED=$$seed $(CARGO) test --release --tests -q || exit 1; \
	done

## The long hostile-input campaign: the mutation fuzzer of tests/hostile.rs with many
## more cases (FUZZ_CASES per format, FUZZ_SEED, FUZZ_CLI_CASES through the binary).
## Its CI share runs in `make test`.
FUZZ_CASES ?= 100000
fuzz:
	FUZZ_CASES=$(FUZZ_CASES) $(CARGO) test --release --test hostile -- --ignored --nocapture
