// npm run bench: compiles, then runs every bench/*.bench.ts module and writes the results as JSON to
// .bench/results.json (and prints them). Benchmarks measure; they never fail the build on a number.
// Usage: npm run bench [-- NAME-FILTER]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];
const require = createRequire(import.meta.url);
const npx = (...args) => execFileSync('npx', args, { cwd: root, stdio: 'inherit' });
npx('tsc', '-p', 'tsconfig.json');
// Measure what ships: the production bundles (minified, as in the .vsix); the development build is restored after.
execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: root, stdio: 'inherit' });

const dir = path.join(root, 'out', 'bench');
const files = readdirSync(dir)
  .filter(f => f.endsWith('.bench.js') && (!filter || f.includes(filter)))
  .sort();
const results = [];
for (const file of files) {
  const { benchmark } = require(path.join(dir, file));
  console.log(`[bench] ${benchmark.name}`);
  for (const r of await benchmark.run()) {
    results.push(r);
    const budget = r.budget
      ? `  budget ${r.budget.metric} <= ${r.budget.max}: ${r.withinBudget ? 'met' : 'MISSED'}`
      : '';
    console.log(`  ${r.name}: ${JSON.stringify(r.metrics)}${budget}`);
  }
}
// The typing path inside a real VS Code: the e2e harness runs test/e2e/suite/*.bench.test.ts.
if (!filter || 'extension typing'.includes(filter)) {
  const out = path.join(os.tmpdir(), `ai-provenance-bench-${process.pid}.json`);
  console.log('[bench] extension (in VS Code)');
  try {
    execFileSync(process.execPath, ['scripts/e2e/run.mjs'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, E2E_BENCH_FILE: out },
    });
    for (const r of JSON.parse(readFileSync(out, 'utf8'))) {
      const within = r.budget ? r.metrics[r.budget.metric] <= r.budget.max : undefined;
      results.push({ ...r, ...(within === undefined ? {} : { withinBudget: within }) });
      console.log(
        `  ${r.name}: ${JSON.stringify(r.metrics)}${r.budget ? `  budget ${r.budget.metric} <= ${r.budget.max}: ${within ? 'met' : 'MISSED'}` : ''}`,
      );
    }
  } catch (error) {
    console.log(`  could not run the in-editor benchmark: ${error.message.split('\n')[0]}`);
  } finally {
    rmSync(out, { force: true });
  }
}

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

const report = {
  when: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  results,
};
mkdirSync(path.join(root, '.bench'), { recursive: true });
const out = path.join(root, '.bench', 'results.json');
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(`[bench] ${results.length} results written to ${path.relative(root, out)}`);
