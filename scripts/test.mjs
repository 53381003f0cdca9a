// npm test: every layer, in order, on an already set-up machine (npm run ci sets one up first).
// lint -> format (prettier) -> knip (unused code) -> build -> compile tests -> unit -> git -> agents -> slow (scale tests) -> package -> e2e (development folder) -> e2e (installed .vsix), each e2e in the oldest and the newest VS Code.
// Runs every layer even when one fails, then prints one closing line with the totals.
// Usage: npm test [-- LAYER...]   e.g. npm test -- unit git
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `${name}-${version}.vsix`);
const node = process.execPath;
const bin = tool => path.join(root, 'node_modules', '.bin', tool);
const mocha = layer => [bin('mocha'), ['--config', `test/${layer}/.mocharc.json`]];

const steps = [
  { id: 'lint', run: [bin('eslint'), ['--max-warnings', '0', '.']] },
  { id: 'format', run: [bin('prettier'), ['--check', '--log-level', 'warn', '.']] },
  { id: 'knip', run: [bin('knip'), []] },
  { id: 'build', run: [node, ['scripts/build.mjs']] },
  {
    id: 'compile',
    run: [bin('tsc'), ['-p', 'tsconfig.json']],
    before: () => fs.rmSync(path.join(root, 'out'), { recursive: true, force: true }),
  },
  { id: 'unit', counted: true, run: mocha('unit') },
  { id: 'git', counted: true, run: mocha('git') },
  // The real agent CLIs (installed into the test cache on first use) against a scripted model server.
  { id: 'agents', counted: true, run: mocha('agents') },
  { id: 'slow', counted: true, run: mocha('slow') },
  { id: 'package', counted: true, run: mocha('package') },
  // In two VS Code versions (scripts/e2e/code-server.mjs): the oldest engines.vscode allows and the newest.
  { id: 'e2e', counted: true, run: [node, ['scripts/e2e/run.mjs', '--vscode', 'oldest']] },
  { id: 'e2e-newest', counted: true, run: [node, ['scripts/e2e/run.mjs', '--vscode', 'newest']] },
  { id: 'e2e-vsix', counted: true, run: [node, ['scripts/e2e/run.mjs', '--vsix', vsix, '--vscode', 'oldest']] },
  {
    id: 'e2e-vsix-newest',
    counted: true,
    run: [node, ['scripts/e2e/run.mjs', '--vsix', vsix, '--vscode', 'newest']],
  },
];
const setup = new Set(['lint', 'build', 'compile']);
const wanted = process.argv.slice(2);
const unknown = wanted.filter(w => !steps.some(s => s.id === w));
if (unknown.length) {
  console.error(`unknown layer(s): ${unknown.join(', ')}; choose from ${steps.map(s => s.id).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length
  ? steps.filter(s => wanted.includes(s.id) || (setup.has(s.id) && s.id !== 'lint'))
  : steps;

const countsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-test-')), 'counts.jsonl');
const failedSteps = [];
for (const step of selected) {
  console.log(`\n=== ${step.id} ===`);
  step.before?.();
  const [cmd, args] = step.run;
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, AI_PROVENANCE_TEST_COUNTS: countsFile, AI_PROVENANCE_TEST_LAYER: step.id },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    failedSteps.push(step.id);
    console.log(`=== ${step.id}: FAILED (exit ${r.status ?? r.signal}) after ${seconds}s ===`);
    if (setup.has(step.id) && step.id !== 'lint') break; // nothing after a failed build can be trusted
  } else {
    console.log(`=== ${step.id}: ok (${seconds}s) ===`);
  }
}

const counts = fs.existsSync(countsFile)
  ? fs
      .readFileSync(countsFile, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(l => JSON.parse(l))
  : [];
const sum = key => counts.reduce((n, c) => n + c[key], 0);
console.log('');
for (const c of counts)
  console.log(`  ${c.layer.padEnd(15)} ${c.passes} passed, ${c.failures} failed, ${c.pending} skipped`);
// A step that failed without a failing test to show for it (lint, a crashed harness) still counts as one failure.
const silentFailures = failedSteps.filter(id => !counts.some(c => c.layer === id && c.failures > 0)).length;
const missing = selected.filter(s => s.counted && !failedSteps.includes(s.id) && !counts.some(c => c.layer === s.id));
// The failing tests by name, last, where a truncated log still shows them.
for (const c of counts)
  for (const f of c.failed ?? []) console.log(`  FAILED [${c.layer}] ${f.title}\n${f.error.replace(/^/gm, '      ')}`);
for (const s of missing) console.log(`  ${s.id.padEnd(15)} reported no counts`);
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`tests: ${sum('passes')} passed, ${sum('failures') + silentFailures} failed, ${sum('pending')} skipped`);
process.exit(failedSteps.length || missing.length ? 1 : 0);
