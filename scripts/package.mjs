// npm run package: builds the production bundles (vscode:prepublish) and packages ai-provenance-<version>.vsix
// in the repository root. Prints the .vsix path on the last line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `${name}-${version}.vsix`);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// Relative links in README.md are left for vsce to rewrite against package.json's repository: images to
// https://github.com/ai-provenance/ai-provenance/raw/HEAD/PATH, other links to .../blob/HEAD/PATH. The Marketplace
// and Open VSX pages need absolute addresses (a relative one is broken there), and links to docs/ must leave the
// .vsix anyway, since docs/ is not shipped. The price: VS Code's Extensions view loads the README's images from
// GitHub too, also for an installed extension. So README images live in media/, which is both in the repository
// and in the .vsix, and test/package/vsix.test.ts checks that every rewritten address names a tracked file (an
// image: one that ships as well). No --allow-missing-repository or other bypass: whatever vsce warns about (a
// missing repository or LICENSE, '*' activation, ...) prints a WARNING, which that test refuses.
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
// Leave dist/ as a development build again (with source maps) for the tests and the debugger.
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
console.log(out);
