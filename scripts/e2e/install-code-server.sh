#!/usr/bin/env bash
# Installs code-server (VS Code for the web, server side) from the npm registry alone, for the e2e tests and the
# demo. Its own postinstall downloads prebuilt binaries, which cannot work offline, so we install with
# --ignore-scripts and build the native modules it needs from source against the system Node's headers.
#
# Usage: install-code-server.sh DEST     (code-server ends up in DEST/package; DEST/.complete marks success)
# Needs: Node 20 with headers (or CODE_SERVER_NODE_DIR), python3, make, g++, and the Debian packages named in scripts/setup-system.sh.
set -euo pipefail

dest=${1:?usage: install-code-server.sh DEST}
version=${CODE_SERVER_VERSION:-4.100.3}   # 4.100.3 = VS Code 1.100.3, the last line built for Node 20
log() { printf '[code-server install] %s\n' "$*" >&2; }

# CODE_SERVER_NODE_DIR: another Node (bin/node, include/node) for a code-server that needs a newer one than the
# system's; npm, node-gyp and the check at the end then run on it.
if [ -n "${CODE_SERVER_NODE_DIR:-}" ]; then
  export PATH="$CODE_SERVER_NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$CODE_SERVER_NODE_DIR"
fi
# node-gyp must build against local headers, never download them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
npm_quiet=(--no-audit --no-fund --loglevel=error)

mkdir -p "$dest"
rm -f "$dest/.complete"
cd "$dest"
if [ ! -f "code-server-$version.tgz" ]; then
  log "fetching code-server@$version from the npm registry"
  npm pack "code-server@$version" >/dev/null
fi
rm -rf package
tar -xzf "code-server-$version.tgz"
cd package

log "installing server dependencies"
npm install --omit=dev --ignore-scripts "${npm_quiet[@]}"
# argon2 is loaded at startup even with --auth none. Older versions download their binary (so build it); newer ones
# ship prebuilt N-API binaries in the package.
loads() { node -e 'require(process.argv[1])' "$1" >/dev/null 2>&1; }
if ! loads argon2; then npm_config_build_from_source=true npm rebuild argon2 "${npm_quiet[@]}"; fi
loads argon2 || { log "argon2 does not load"; exit 1; }

log "installing VS Code server dependencies"
cd lib/vscode
npm install --omit=dev --ignore-scripts "${npm_quiet[@]}"
# The native modules of the VS Code server, by the names each version uses: built from source unless they load as
# shipped (prebuilt N-API binaries). node-pty compiles, then its post-install step calls npx, which fails offline:
# the binary is what matters, and it must load.
for module in kerberos @vscode/deviceid @vscode/spdlog native-watchdog @vscode/native-watchdog @vscode/fs-copyfile \
  @vscode/sqlite3 @parcel/watcher node-pty; do
  [ -d "node_modules/$module" ] || continue
  loads "$module" && continue
  npm rebuild "$module" --unsafe-perm "${npm_quiet[@]}" >"$dest/rebuild.log" 2>&1 || true
  loads "$module" || { tail -n 40 "$dest/rebuild.log" >&2; log "$module did not build (above: the end of its build log)"; exit 1; }
done
# @vscode/ripgrep downloads its binary; Debian's rg does the job (@vscode/ripgrep-universal, in newer versions,
# ships one for each platform: the link is there for any version that looks in bin/).
for module in @vscode/ripgrep @vscode/ripgrep-universal; do
  [ -d "node_modules/$module" ] || continue
  mkdir -p "node_modules/$module/bin"
  ln -sf "$(command -v rg)" "node_modules/$module/bin/rg"
done
# The links code-server's own postinstall would make.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --ignore-scripts "${npm_quiet[@]}")
cd ../..

# CODE_SERVER_SMOKE_TEST_DRIVER=1: newer VS Code takes the extension and tests to run from the page's payload (what
# the e2e harness gives it) only when the smoke test driver is on. Its server reads --enable-smoke-test-driver;
# code-server's option table lacks it and refuses unknown options, so it is added there (the harness passes it).
if [ "${CODE_SERVER_SMOKE_TEST_DRIVER:-}" = 1 ] && ! grep -q '"enable-smoke-test-driver"' out/node/cli.js; then
  grep -q 'enable-smoke-test-driver' lib/vscode/out/server-main.js || { log "this VS Code server has no --enable-smoke-test-driver"; exit 1; }
  sed -i 's/^    "enable-proposed-api": {$/    "enable-smoke-test-driver": { type: "boolean", description: "Run extension tests given in the page payload." },\n&/' out/node/cli.js
  grep -q '"enable-smoke-test-driver"' out/node/cli.js || { log "could not add --enable-smoke-test-driver"; exit 1; }
fi
node out/node/entry.js --version >/dev/null
printf '%s\n' "${CODE_SERVER_INSTALL_RECIPE:-}" > "$dest/.complete"
log "code-server $version ready in $dest/package"
