#!/usr/bin/env bash
# npm run demo: set up this machine, package the extension, and serve a VS Code in the browser with it installed
# on a small demo repository. Prints the address to open; Ctrl+C stops it.
#   DEMO_PORT (default 8080) picks the port; the server listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node scripts/demo.mjs "$@"
