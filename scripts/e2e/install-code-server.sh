#!/usr/bin/env bash
# Installs code-server (VS Code for the web, server side) from the npm registry alone, for the e2e tests and the
# demo. Its own postinstall downloads prebuilt binaries, which cannot work offline, so we install with
# --ignore-scripts and build the native modules it needs from source against the system Node's headers.
#
# Usage: install-code-server.sh DEST     (code-server ends up in DEST/package; DEST/.complete marks success)
# Needs: Node 20 with headers, python3, make, g++, and the Debian packages named in scripts/setup-system.sh.
set -euo pipefail

dest=${1:?usage: install-code-server.sh DEST}
version=${CODE_SERVER_VERSION:-4.100.3}   # 4.100.3 = VS Code 1.100.3, the last line built for Node 20
log() { printf '[code-server install] %s\n' "$*" >&2; }

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
# argon2 is loaded at startup even with --auth none; its prebuilt binary is downloaded, so build it.
npm_config_build_from_source=true npm rebuild argon2 "${npm_quiet[@]}"
ls node_modules/argon2/lib/binding/*/argon2.node >/dev/null

log "installing VS Code server dependencies"
cd lib/vscode
npm install --omit=dev --ignore-scripts "${npm_quiet[@]}"
npm rebuild kerberos @vscode/deviceid @vscode/spdlog native-watchdog --unsafe-perm "${npm_quiet[@]}"
# node-pty compiles, then its post-install step calls npx, which fails offline; the binary is what matters.
npm rebuild node-pty --unsafe-perm "${npm_quiet[@]}" >/dev/null 2>&1 || true
[ -f node_modules/node-pty/build/Release/pty.node ] || { log "node-pty did not build"; exit 1; }
# @vscode/ripgrep downloads its binary; Debian's rg does the same job.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# The links code-server's own postinstall would make.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --ignore-scripts "${npm_quiet[@]}")
cd ../..

node out/node/entry.js --version >/dev/null
touch "$dest/.complete"
log "code-server $version ready in $dest/package"
