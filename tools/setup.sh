#!/usr/bin/env bash
# Install what otlab needs and is missing; safe to run again (each step checks first).
#   tools/setup.sh          -> what `make serve` needs: wasm32 target, wasm-pack, wasm-bindgen-cli
#   tools/setup.sh --test   -> also chromium + chromedriver (apt) and playwright-core (npm)
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    log "adding rust component $component"
    rustup component add "$component"
  fi
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v wasm-pack >/dev/null; then
  log "installing wasm-pack (takes a few minutes once)"
  cargo install wasm-pack
fi

# wasm-bindgen-cli must match the wasm-bindgen crate version pinned in Cargo.lock exactly.
wb=$(awk '$0=="name = \"wasm-bindgen\"" {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)
if [ -z "$wb" ]; then echo "setup: cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb" ]; then
  log "installing wasm-bindgen-cli $wb (takes several minutes once)"
  # no --locked: the registry mirror lacks some exact versions in the tool's own lock file
  cargo install wasm-bindgen-cli --version "$wb"
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing chromium and chromium-driver from apt"
    sudo_cmd=""
    if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver
  fi
  if [ ! -d node_modules/playwright-core ]; then
    log "installing playwright-core from npm"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
