// Bundles the extension and the CLI with esbuild: dist/extension.js (CommonJS, `vscode` external),
// dist/cli.js (the `ai-provenance` bin) and dist/agent-hook.js (the agent hook alone, which the launcher runs). `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: { AI_PROVENANCE_VERSION: JSON.stringify(version) },
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The agent hook alone (the launcher runs it for `agent-hook`): every agent tool call starts it twice.
  { ...common, entryPoints: ['src/cli/agent-hook-main.ts'], outfile: 'dist/agent-hook.js' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('[build] watching for changes');
} else {
  await Promise.all(builds.map(options => esbuild.build(options)));
  chmodSync('dist/cli.js', 0o755);
}
