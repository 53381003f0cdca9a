// Bundles the extension and the CLI with esbuild: dist/extension.js (CommonJS, `vscode` external),
// dist/cli.js (the `ai-provenance` bin) and dist/agent-hook-bundle.js (the agent hook alone) with its loader
// dist/agent-hook.js, which the launcher runs. `--watch` rebuilds on change; `--production` minifies;
// `--cli-only --outdir DIR` builds the CLI's files alone into DIR (the npm package, scripts/pack-cli.mjs).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const cliOnly = process.argv.includes('--cli-only');
const outdirAt = process.argv.indexOf('--outdir');
const outdir = outdirAt > 0 ? process.argv[outdirAt + 1] : 'dist';
if (!outdir || (watch && outdir !== 'dist'))
  throw new Error('usage: build.mjs [--watch | --production] [--cli-only] [--outdir DIR]');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  // A production build is minified after the plugin below has read esbuild's output.
  minify: false,
  logLevel: 'warning',
  legalComments: 'none',
  define: { AI_PROVENANCE_VERSION: JSON.stringify(version) },
};

/**
 * esbuild turns `import * as fs from 'node:fs'` into `__toESM(require("node:fs"))`, which copies every property of
 * the module at load (about a millisecond a start for the agent hook). Our code never takes a Node module's default
 * export, so the module itself serves: the plugin puts it back, and refuses a bundle that reads `.default` of one.
 * The Node modules in `lazy` are loaded on first use instead of at start (node:fs/promises alone costs the agent
 * hook about 2 ms a start, for code it does not run): a proxy stands for each until then.
 */
const nodeModulesAsTheyAre = (lazy = []) => ({
  name: 'node-modules-as-they-are',
  setup(build) {
    // Runs on esbuild's readable output (names as written); a production build is minified afterwards.
    build.onEnd(async result => {
      if (result.errors.length > 0) return;
      const file = build.initialOptions.outfile;
      let text = readFileSync(file, 'utf8');
      // Every name esbuild gives a Node module it wraps: none may be read for `.default`.
      for (const [, name] of text.matchAll(/\bvar ([\w$]+) = __toESM\(require\("node:[a-z_/]+"\)\)/g))
        if (new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\.default\\b`).test(text))
          throw new Error(`${file}: a default import of a Node module (${name})`);
      text = text.replace(/__toESM\(require\("(node:[a-z_/]+)"\)\)/g, 'require("$1")');
      if (lazy.length > 0) {
        for (const id of lazy) text = text.split(`require("${id}")`).join(`__lazyRequire("${id}")`);
        text +=
          '\nfunction __lazyRequire(id) {\n  let m;\n  return new Proxy({}, { get: (_, key) => (m ??= require(id))[key] });\n}\n';
      }
      if (production && file !== ACTION_OUT)
        text = (await esbuild.transform(text, { minify: true, format: 'cjs', legalComments: 'none' })).code;
      writeFileSync(file, text);
    });
  },
});
const LAZY = ['node:fs/promises', 'node:os'];
const CHART_JS = 'chart.umd.min.js';

const EXTENSION_OUT = `${outdir}/extension.js`;
const ACTION_OUT = 'action/index.cjs';
const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: EXTENSION_OUT,
    external: ['vscode'],
    // Activation is timed from here (AiProvenanceApi.activationMs): loading the bundle is part of what a person waits.
    banner: { js: "'use strict';\nvar AI_PROVENANCE_BUNDLE_LOADING = performance.now();" },
  },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' } },
  // The agent hook alone (the launcher runs it for `agent-hook`, through the loader below): every agent tool call
  // starts it twice.
  { ...common, entryPoints: ['src/cli/agent-hook-main.ts'], outfile: `${outdir}/agent-hook-bundle.js` },
  // The GitHub Action (action.yml) runs this bundle as committed: readable, no source map, rebuilt with the rest so
  // a change of the engine reaches it (test/package/action.test.ts fails while the committed bundle is stale).
  ...(outdir === 'dist'
    ? [
        {
          ...common,
          entryPoints: ['src/action/main.ts'],
          outfile: ACTION_OUT,
          sourcemap: false,
          minify: false,
          // The action makes no network request: @actions/core's OIDC client (and the HTTP client under it) stays out.
          plugins: [
            {
              name: 'no-oidc',
              setup: build =>
                build.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, args =>
                  args.importer.includes(`${path.sep}@actions${path.sep}core${path.sep}`)
                    ? { path: path.resolve('src/action/no-oidc.ts') }
                    : undefined,
                ),
            },
          ],
        },
      ]
    : []),
]
  .filter(options => !cliOnly || options.outfile !== EXTENSION_OUT)
  .map(options => ({
    ...options,
    plugins: [...(options.plugins ?? []), nodeModulesAsTheyAre(options.outfile === EXTENSION_OUT ? [] : LAZY)],
  }));

/**
 * A loader the launcher runs (src/cli/cached-loader.ts), built with the hash and length of the bundle it loads:
 * dist/agent-hook.js for the agent hook, dist/cli-cached.js for the git hooks.
 */
function loaderOptions({ bundle, outfile, prefix, fallback }) {
  const text = readFileSync(`${outdir}/${bundle}`, 'utf8');
  return {
    ...common,
    sourcemap: false,
    entryPoints: ['src/cli/cached-loader.ts'],
    outfile: `${outdir}/${outfile}`,
    plugins: [nodeModulesAsTheyAre()],
    define: {
      ...common.define,
      LOADER_BUNDLE: JSON.stringify(bundle),
      LOADER_BUNDLE_HASH: JSON.stringify(createHash('sha256').update(text).digest('hex').slice(0, 32)),
      // As the loader measures it: without a first `#!` line.
      LOADER_BUNDLE_SIZE: String(text.replace(/^#![^\n]*/, '').length),
      LOADER_CACHE_PREFIX: JSON.stringify(prefix),
      LOADER_FALLBACK: JSON.stringify(fallback),
    },
  };
}
const LOADERS = [
  { bundle: 'agent-hook-bundle.js', outfile: 'agent-hook.js', prefix: 'agent-hook', fallback: 'cli.js' },
  { bundle: 'cli.js', outfile: 'cli-cached.js', prefix: 'cli', fallback: '' },
];

if (watch) {
  // The loaders are not rebuilt on change: without them the launcher runs the bundles directly (a loader left from
  // a full build would take a same-length change's bundle for the one it has a cache of).
  for (const { outfile } of LOADERS) rmSync(`${outdir}/${outfile}`, { force: true });
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('[build] watching for changes (the agent hook loader is built by a full build)');
} else {
  await Promise.all(builds.map(options => esbuild.build(options)));
  await Promise.all(LOADERS.map(loader => esbuild.build(loaderOptions(loader))));
  rmSync(`${outdir}/agent-hook.js.map`, { force: true }); // the bundle's map before the loader took its name
  chmodSync(`${outdir}/cli.js`, 0o755);
}
// Chart.js for the audit's HTML report (inlined into it) and the extension's dashboard (loaded by the webview):
// a file beside the bundles, not in them, so neither bundle carries its 200 KB.
copyFileSync('node_modules/chart.js/dist/chart.umd.min.js', `${outdir}/${CHART_JS}`);
