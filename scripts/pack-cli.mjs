// npm run pack-cli: the command line tool as the npm package ai-provenance-cli (the `ai-provenance` command), packed
// into ai-provenance-cli-<version>.tgz in the repository root (or --out DIR). Prints the tarball's path last.
// The package holds the production bundles of the CLI alone (no runtime dependencies: they are bundled), its README
// (packaging/npm/README.md) and LICENSE. It shares its version with the extension: both write and read the same
// records, so one number says which formats a release speaks. Publishing: `npm publish ai-provenance-cli-<v>.tgz`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outAt = process.argv.indexOf('--out');
const outDir = path.resolve(outAt > 0 ? process.argv[outAt + 1] : root);
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The npm package name: `ai-provenance` on the registry is someone else's package. */
const NAME = 'ai-provenance-cli';
const stage = mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-cli-pack-'));
try {
  execFileSync(
    process.execPath,
    [path.join(root, 'scripts', 'build.mjs'), '--production', '--cli-only', '--outdir', path.join(stage, 'dist')],
    { cwd: root, stdio: 'inherit' },
  );
  const pkg = {
    name: NAME,
    version: manifest.version,
    description:
      'Command line tool of AI Provenance: git hooks that record AI-written lines in commits, and the CI gate that ' +
      "refuses AI changes no senior has signed off ('ai-provenance check').",
    license: manifest.license,
    keywords: ['ai', 'provenance', 'git', 'hooks', 'code-review', 'sign-off', 'ci', 'trailers'],
    ...(manifest.repository ? { repository: manifest.repository } : {}),
    ...(manifest.bugs ? { bugs: manifest.bugs } : {}),
    ...(manifest.homepage ? { homepage: manifest.homepage } : {}),
    bin: { 'ai-provenance': 'dist/cli.js' },
    files: [
      'dist/cli.js',
      'dist/cli-cached.js',
      'dist/agent-hook.js',
      'dist/agent-hook-bundle.js',
      'dist/chart.umd.min.js',
    ],
    engines: { node: manifest.engines.node },
  };
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  copyFileSync(path.join(root, 'packaging', 'npm', 'README.md'), path.join(stage, 'README.md'));
  copyFileSync(path.join(root, 'LICENSE'), path.join(stage, 'LICENSE'));
  mkdirSync(outDir, { recursive: true });
  // --ignore-scripts: the staged package has none, and a user's npm config must not add any.
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], {
      cwd: stage,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  console.log(path.join(outDir, packed[0].filename));
} finally {
  rmSync(stage, { recursive: true, force: true });
}
