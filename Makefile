# lyapunov-lens: two commands do everything on a fresh Debian machine.
#   make run    set-up, then serve the app on http://127.0.0.1:8080
#   make test   set-up, then every check and test
# Set-up (.ci/setup) installs only what is missing, from the registries only.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
TOOLS ?= $(HOME)/.cache/lyapunov-lens
# npm binaryen@132 must shadow any other wasm-opt; cargo-installed trunk and wasm-bindgen next.
export PATH := $(TOOLS)/node/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export LL_TOOLS := $(TOOLS)
WASM := --target wasm32-unknown-unknown

.PHONY: run test check doc test-coverage fuzz setup fmt-check clippy test-native test-reference test-wasm build test-e2e findings findings-check findings-check-sharded screenshot bench bench-browser bench-load bench-sweep

run: setup
	trunk serve index.html --release

test: setup fmt-check clippy doc test-native test-coverage test-reference test-wasm build test-e2e findings-check
	@echo "make test: all checks passed"

# The inner loop: formatting, clippy on both targets and the native tests (no set-up, no browser).
check: fmt-check clippy test-native
	@echo "make check: fmt, clippy (native and wasm32) and native tests passed"

# The API docs, with broken intra-doc links and other rustdoc warnings as errors.
doc:
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet $(WASM)

setup:
	@bash .ci/setup

fmt-check:
	cargo fmt --check

clippy:
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets $(WASM) -- -D warnings

test-native:
	cargo test

# The 200-data-set coverage study of the fit's intervals (issue 12), in release (3 s instead of
# minutes): prints the coverage per parameter and pooled, and fails outside 90-99%.
test-coverage:
	cargo test --release --test it estimation::coverage_over_200_data_sets -- --ignored --nocapture 2>&1 | grep -E "coverage|  [a-z_0-9]+ +[0-9.]+%|test result"

# The property tests (tests/it/properties: links, CSV files, sessions, sliced changes, work caps)
# with many more random and hostile cases than `cargo test` runs (64 per property), in release:
# FUZZ_CASES per parser property and a tenth of that per session property (each case builds and
# trains sessions). `make fuzz FUZZ_CASES=N` for another count. Not in `make test`.
FUZZ_CASES ?= 10000
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) cargo test --release --test it properties::

# The CLI's JSON against SciPy's DOP853 at rtol 1e-13 (trajectory, dV/dn, attention, noise); the
# trained paper-linear model against SciPy's optimum of the same loss; the statistics' fixture.
test-reference:
	cargo build --quiet
	python3 tests/reference/check_cli.py target/debug/lyapunov-lens
	python3 tests/reference/check_optimum.py target/debug/lyapunov-lens
	python3 tests/reference/stats_reference.py --check

# wasm-bindgen-test in headless Chromium (runner and chromedriver from set-up; webdriver.json).
# The runner gives a whole test binary WASM_BINDGEN_TEST_TIMEOUT seconds (default 20): the debug
# build of wasm_app needs about 15 on an idle 2-core machine and timed out under load, so 300.
test-wasm:
	WASM_BINDGEN_TEST_TIMEOUT=300 cargo test $(WASM) --test wasm_session --test wasm_app

build:
	trunk build index.html --release

# The built bundle in headless Chromium (playwright-core): console, canvases, epoch, sigma, and
# #stats against the CLI. Needs `build` and the debug CLI (built by test-reference).
test-e2e:
	cargo build --quiet
	node --test tests/e2e/

# Regenerates the README's picture of the app from the built bundle.
screenshot: setup build
	node tests/e2e/screenshot.mjs www/screenshot.png --full-page

# FINDINGS.md and findings/ (sweep table and SVG figures), regenerated from scratch.
FINDINGS_ARGS := findings --sigmas 0.5,1,2,4 --lognormal-sigmas 0.05,0.1,0.2,0.4 --seeds 20 --models paper-linear,paper-linear-unscaled,oracle-inverse-variance --probe-models self-attention --probe-seeds 4 --probe-max-steps 3000 --cross-models paper-linear,oracle-inverse-variance --cross-levels 0.5,1,2 --cross-seeds 20 --cross-n 500 --out-dir findings --report FINDINGS.md
findings:
	cargo build --release --quiet
	rm -rf findings FINDINGS.md
	./target/release/lyapunov-lens $(FINDINGS_ARGS)

# A fresh sweep with the same arguments must reproduce the committed report and figures exactly.
findings-check:
	cargo build --release --quiet
	rm -rf target/findings-check && mkdir -p target/findings-check
	cd target/findings-check && $(CURDIR)/target/release/lyapunov-lens $(FINDINGS_ARGS)
	diff -u FINDINGS.md target/findings-check/FINDINGS.md
	diff -r findings target/findings-check/findings
	@echo "findings-check: FINDINGS.md and findings/ match a fresh sweep"

# The same run as $(SHARDS) shards (one after another here; on a cluster, one job each) and
# `merge`: the result must be byte for byte the committed report and figures. Not in make test
# (tests/it/shards.rs checks the same on small runs); ~4 min on 2 cores.
SHARDS ?= 3
findings-check-sharded:
	cargo build --release --quiet
	rm -rf target/findings-check-sharded && mkdir -p target/findings-check-sharded
	cd target/findings-check-sharded && for k in $$(seq $(SHARDS)); do \
	  $(CURDIR)/target/release/lyapunov-lens $(FINDINGS_ARGS) --shard $$k/$(SHARDS) --shard-out shard-$$k.json; \
	done
	cd target/findings-check-sharded && $(CURDIR)/target/release/lyapunov-lens merge shard-*.json
	diff -u FINDINGS.md target/findings-check-sharded/FINDINGS.md
	diff -r findings target/findings-check-sharded/findings
	@echo "findings-check-sharded: $(SHARDS) shards merged match FINDINGS.md and findings/"

# Training-step timings (median) natively, then the PyTorch and JAX peers on the same data,
# in the same run. The peers need torch and jax; they are installed into a venv on first use.
bench:
	@bash benches/run_with_peers.sh

# Issue 5's target: 5 sigmas x 20 seeds x 3000 steps at N = 1000 (100 runs, perturbation checks
# included) on all cores. Prints the wall time of 3 repeats and their median.
bench-sweep:
	cargo build --release --quiet
	@for i in 1 2 3; do \
	  s=$$(date +%s.%N); \
	  ./target/release/lyapunov-lens sweep --sigmas 0,0.5,1,2,4 --seeds 20 --steps 3000 --format csv --out /dev/null; \
	  e=$$(date +%s.%N); awk -v s=$$s -v e=$$e 'BEGIN { print e - s }'; \
	done | sort -n | awk '{ t[NR] = $$1 } END { printf "sweep of 100 runs (5 sigmas x 20 seeds x 3000 steps, N = 1000, %d cores): %.2f s, %.2f s, %.2f s; median %.2f s\n", '"$$(nproc)"', t[1], t[2], t[3], t[2] }'

# Page-load figures of the built bundle: its size raw and gzipped, and the time from navigation to
# the first inked canvas over 7 cold loads (headless Chromium).
bench-load: setup build
	node tests/e2e/bench_load.mjs 7

# Per-frame and per-step timings of the real page in headless Chromium (N = 1000 and 5000), the
# worst frame while dragging every slider of every system, and wasm memory over a 100,000-frame soak.
bench-browser: setup
	WASM_BINDGEN_TEST_TIMEOUT=600 cargo test $(WASM) --release --test wasm_bench -- --nocapture 2>&1 | grep -E '^browser|test result'
