#!/usr/bin/env bash
# Installs what the end-to-end suite needs, idempotently, and prints nothing but progress on stderr.
#
#   - Debian packages: chromium (the browser Playwright drives; Playwright's own browser download
#     cannot reach its host here), libkrb5-dev + pkg-config (code-server's `kerberos` native module),
#     ripgrep (see below).
#   - code-server, from npm, into a cache folder outside the project's dependencies
#     ($IMDS_GUARD_E2E_CACHE, default $HOME/.cache/imds-guard-e2e), so a fresh clone on the same
#     machine reuses it. DESIGN.md "How we test" item 4 has the measured facts this relies on.
#
# Usage: scripts/e2e/install.sh            (prints the code-server entry point on stdout)
set -euo pipefail

# code-server 4.100.x is the line whose engines.node is 20 (this machine's Node) and it embeds
# VS Code 1.100.3, which the manifest's engines.vscode (^1.100.0) accepts.
CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep version pinned in code-server 4.100.3's lib/vscode/npm-shrinkwrap.json, and
# the asset its postinstall looks for (lib/postinstall.js: VERSION 'v13.0.0-10', x64 musl target).
RIPGREP_PACKAGE_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

CACHE_ROOT="${IMDS_GUARD_E2E_CACHE:-$HOME/.cache/imds-guard-e2e}"
CODE_SERVER_DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_ENTRY="$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js"
STAMP="$CODE_SERVER_DIR/.installed"

log() { printf '[e2e install] %s\n' "$*" >&2; }

install_debian_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v rg >/dev/null || missing+=(ripgrep)
  command -v pkg-config >/dev/null || missing+=(pkg-config)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  # node-gyp needs a compiler and make for code-server's native modules.
  command -v g++ >/dev/null || missing+=(g++)
  command -v make >/dev/null || missing+=(make)
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    exit 2
  fi
  log "apt-get install ${missing[*]}"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
}

# Every native module VS Code's server loads, and the ripgrep binary its search uses. An npm that
# skipped install scripts leaves these missing, and code-server then fails at run time, not install.
verify_code_server() {
  local vscode="$1/node_modules/code-server/lib/vscode"
  local required=(
    "$vscode/node_modules/@vscode/ripgrep/bin/rg"
    "$vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
    "$vscode/node_modules/node-pty/build/Release/pty.node"
    "$vscode/node_modules/kerberos/build/Release/kerberos.node"
    "$vscode/node_modules/native-watchdog/build/Release/watchdog.node"
  )
  local file ok=0
  for file in "${required[@]}"; do
    if [ ! -e "$file" ]; then
      log "missing after install: $file"
      ok=1
    fi
  done
  [ -e "$vscode/node_modules.asar" ] || { log "missing after install: $vscode/node_modules.asar (postinstall did not run)"; ok=1; }
  return $ok
}

install_code_server() {
  if [ -f "$STAMP" ] && [ -f "$CODE_SERVER_ENTRY" ]; then
    return
  fi
  local staging="$CODE_SERVER_DIR.partial"
  rm -rf "$staging"
  mkdir -p "$staging"
  printf '{ "name": "imds-guard-e2e-code-server", "private": true }\n' >"$staging/package.json"

  # @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable here; it first looks
  # in $TMPDIR/vscode-ripgrep-cache-<version>/ and uses a tarball found there (lib/download.js).
  local tmp="${TMPDIR:-/tmp}"
  local ripgrep_cache="$tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
  mkdir -p "$ripgrep_cache"
  tar -czf "$ripgrep_cache/$RIPGREP_ASSET" -C "$(dirname "$(command -v rg)")" rg

  local nodedir_env=()
  # node-gyp would download Node's headers from the internet; Debian's nodejs ships them in /usr.
  if [ -f /usr/include/node/node.h ]; then
    nodedir_env=(npm_config_nodedir=/usr)
  fi

  log "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (about 4-5 minutes on 2 cores)"
  # - npm_config_yes: code-server's native builds run a nested `npx node-gyp`, which would prompt.
  # - npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
  # - npm_config_dangerously_allow_all_scripts: npm 11 runs no dependency install scripts unless a
  #   package.json allowScripts policy lists them. code-server's postinstall runs `npm install` inside
  #   its own lib/vscode and lib/vscode/extensions, whose native modules (node-pty, spdlog, kerberos,
  #   watcher...) must build; those package.json files are code-server's, so the policy can only be
  #   lifted from the environment. It applies to this throwaway cache folder only, never the project.
  if ! env npm_config_yes=true npm_config_unsafe_perm=true npm_config_dangerously_allow_all_scripts=true \
    npm_config_foreground_scripts=true npm_config_fund=false npm_config_audit=false "${nodedir_env[@]}" \
    npm install --prefix "$staging" --no-save --omit=dev "code-server@$CODE_SERVER_VERSION" \
    >"$CACHE_ROOT/code-server-install.log" 2>&1; then
    log "npm install code-server failed; last lines of $CACHE_ROOT/code-server-install.log:"
    tail -n 40 "$CACHE_ROOT/code-server-install.log" >&2
    exit 1
  fi
  if ! verify_code_server "$staging"; then
    log "code-server installed without its native modules; see $CACHE_ROOT/code-server-install.log"
    exit 1
  fi
  rm -rf "$CODE_SERVER_DIR"
  mv "$staging" "$CODE_SERVER_DIR"
  # The postinstall made node_modules.asar a relative symlink, so the move keeps it valid.
  date -u +%FT%TZ >"$STAMP"
  log "code-server ready"
}

mkdir -p "$CACHE_ROOT"
# Two runs on one machine (a developer and CI) must not build into the same folder at once.
exec 9>"$CACHE_ROOT/.lock"
flock 9
install_debian_packages
install_code_server
echo "$CODE_SERVER_ENTRY"
