#!/usr/bin/env bash
# npm run ci: set up a fresh machine of this kind and pass every test.
#   1. Debian packages (Chromium, ripgrep, build headers) when missing: installs them when run as root
#   2. npm dependencies from the lock file
#   3. code-server in two versions (real VS Codes: the oldest engines.vscode allows and the newest, with the Node
#      each needs), served to headless Chromium, into ~/.cache/ai-provenance, once
#   4. npm test: lint, build, unit, git, agents (the real agent CLIs, installed into the same cache on first use),
#      package and e2e layers
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
npm ci --no-audit --no-fund --loglevel=error
node --input-type=module -e "import('./scripts/e2e/code-server.mjs').then(m => Object.values(m.VSCODE_TARGETS).forEach(t => m.ensureCodeServer(console.error, t)))"
npm test
