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
