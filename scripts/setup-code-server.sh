#!/usr/bin/env bash
# Installs what the integration tests and the demo need to run the real VS Code in a browser:
#   - Debian packages: chromium (the headless browser), ripgrep (replaces the rg download of
#     @vscode/ripgrep), libkrb5-dev (headers for code-server's kerberos addon, built from source);
#   - code-server@4.100.3 (the real VS Code 1.100 server + workbench) into .vscode-test/code-server/,
#     outside the project's node_modules, from test/integration/code-server/{package.json,package-lock.json}.
# Works offline except for the npm registry and apt (docs: ../shared/docs/vscode-test-harness.md).
# Idempotent: does nothing when the right version is already installed from the same lockfile.
# Usage: bash scripts/setup-code-server.sh      (prints the code-server binary path last)
# To move to another code-server: set its version in test/integration/code-server/package.json, delete
# the package-lock.json beside it, run this script, copy .vscode-test/code-server/package-lock.json back.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPLATE_DIR=test/integration/code-server
CODE_SERVER_VERSION=$(node -p "require('./$TEMPLATE_DIR/package.json').dependencies['code-server']")
INSTALL_DIR=.vscode-test/code-server
STAMP="$INSTALL_DIR/.installed"
CODE_SERVER_BIN="$INSTALL_DIR/node_modules/.bin/code-server"

log() { echo "[setup-code-server] $*" >&2; }

install_debian_packages() {
  local missing=() pkg
  for pkg in chromium ripgrep libkrb5-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${missing[*]}; run as root: apt-get update && apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

# What the stamp records: the dependency files the installation was made from.
install_fingerprint() {
  cat "$TEMPLATE_DIR/package.json" "$TEMPLATE_DIR/package-lock.json" 2>/dev/null | sha256sum
}

# @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds the release tarball in
# $TMPDIR/vscode-ripgrep-cache-<its version>/: put one there holding Debian's rg.
prepare_ripgrep_cache() {
  local tmp=$1 target
  case "$(uname -m)" in
    x86_64) target=x86_64-unknown-linux-musl ;;
    aarch64) target=aarch64-unknown-linux-musl ;;
    *) log "no ripgrep cache for $(uname -m); @vscode/ripgrep will try to download rg"; return 0 ;;
  esac
  local cache="$tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$cache/bin"
  cp "$(command -v rg)" "$cache/bin/rg"
  tar -czf "$cache/ripgrep-v13.0.0-10-$target.tar.gz" -C "$cache/bin" rg
}

install_code_server() {
  local started=$SECONDS tmp
  rm -rf "$INSTALL_DIR"
  mkdir -p "$INSTALL_DIR"
  cp "$TEMPLATE_DIR/package.json" "$INSTALL_DIR/"
  [ -f "$TEMPLATE_DIR/package-lock.json" ] && cp "$TEMPLATE_DIR/package-lock.json" "$INSTALL_DIR/"
  tmp="$(pwd)/.vscode-test/tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  prepare_ripgrep_cache "$tmp"
  log "installing code-server@$CODE_SERVER_VERSION into $INSTALL_DIR (cold: about 1-2 minutes, native addons build from source)"
  # unsafe_perm: code-server's postinstall refuses to run as root otherwise (npm 11 warns that it does
  # not know this setting, but passes it on to the script, which reads it);
  # yes: node-pty's postinstall runs `npx node-gyp`, which must not prompt (machine npmrc says yes=false).
  local npm_command=install
  [ -f "$INSTALL_DIR/package-lock.json" ] && npm_command=ci
  (cd "$INSTALL_DIR" && TMPDIR="$tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm "$npm_command" --no-audit --no-fund)
  rm -rf "$tmp"
  install_fingerprint >"$STAMP"
  log "installed in $((SECONDS - started)) s"
}

install_debian_packages
if [ -x "$CODE_SERVER_BIN" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(install_fingerprint)" ]; then
  log "code-server@$CODE_SERVER_VERSION already installed"
else
  install_code_server
fi
echo "$(pwd)/$CODE_SERVER_BIN"
