# otlab: the two commands are `make serve` and `make test`; everything else is a step of those.
PORT ?= 8000
# cargo-installed tools (wasm-pack, wasm-bindgen) live here on a fresh machine
export PATH := $(HOME)/.cargo/bin:$(PATH)
WASM_PACK_BUILD = wasm-pack build --target web --release --no-typescript
# the second build uses relaxed SIMD (fused multiply-add); the page picks it where the browser has it
RELAXED_RUSTFLAGS = -C target-feature=+simd128,+relaxed-simd

.PHONY: serve test setup setup-test build lint test-native test-browser test-e2e bench clean

## serve: install what is missing, build the wasm package (release, SIMD) and serve the page
serve: setup build
	@echo "otlab is served at http://127.0.0.1:$(PORT)/"
	node tools/serve.mjs $(PORT)

## test: formatting and lints, native tests, browser tests of the wasm API, then end-to-end tests of the page
test: setup-test lint test-native test-browser build test-e2e

setup:
	tools/setup.sh

setup-test:
	tools/setup.sh --test

build:
	$(WASM_PACK_BUILD) --out-dir pkg
	RUSTFLAGS="$(RELAXED_RUSTFLAGS)" $(WASM_PACK_BUILD) --out-dir target/pkg-relaxed --target-dir target/relaxed
	cmp pkg/otlab.js target/pkg-relaxed/otlab.js
	cp target/pkg-relaxed/otlab_bg.wasm pkg/otlab_relaxed_bg.wasm

lint:
	cargo fmt --check
	cargo clippy --release --all-targets -- -D warnings
	cargo clippy --release --all-targets --target wasm32-unknown-unknown -- -D warnings

test-native:
	cargo test --release

test-browser:
	wasm-pack test --headless --chrome --release
	RUSTFLAGS="$(RELAXED_RUSTFLAGS)" CARGO_TARGET_DIR=target/relaxed wasm-pack test --headless --chrome --release --test web

test-e2e:
	node tests/e2e/run.mjs

## bench: native and in-browser benchmarks, with baselines side by side (target/bench.json)
bench: setup-test build
	tools/bench.sh

clean:
	cargo clean
	rm -rf pkg
