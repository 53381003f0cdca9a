// Entry point VS Code's extension host loads as extensionTestsPath: runs the mocha suite in the real editor and
// writes the counts to E2E_RESULTS_FILE for the harness (code-server only reports exit code 0 or 1).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

/**
 * Which files run. The harness can reload the window once: a test that wants it writes E2E_RELOAD_FILE, and
 * after the reload only the `*.after-reload.test.js` files run. With the .vsix installed, only the packaged
 * check runs. `npm run bench` runs only the `*.bench.test.js` files (E2E_BENCH_FILE names their output).
 */
function selectFiles(dir: string): string[] {
  const files = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.test.js'))
    .sort();
  const reloaded = !!process.env.E2E_RELOAD_FILE && fs.existsSync(process.env.E2E_RELOAD_FILE);
  const bench = (f: string): boolean => f.endsWith('.bench.test.js');
  if (process.env.E2E_BENCH_FILE) return files.filter(bench).map(f => path.join(dir, f));
  const chosen =
    process.env.E2E_MODE === 'vsix'
      ? files.filter(f => f === 'packaged.test.js')
      : reloaded
        ? files.filter(f => f.endsWith('.after-reload.test.js'))
        : files.filter(f => f !== 'packaged.test.js' && !f.endsWith('.after-reload.test.js') && !bench(f));
  return chosen.map(f => path.join(dir, f));
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000, reporter: 'spec' });
  if (process.env.E2E_GREP) mocha.grep(process.env.E2E_GREP);
  for (const file of selectFiles(__dirname)) mocha.addFile(file);
  const results: TestResult[] = [];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      // Loaded lazily: this module must not need vscode before the extension host provides it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const vscodeVersion = (require('vscode') as typeof import('vscode')).version;
      const summary = {
        passes: results.filter(r => r.state === 'passed').length,
        failures,
        pending: results.filter(r => r.state === 'pending').length,
        durationMs: Date.now() - started,
        vscodeVersion,
        results,
      };
      if (process.env.E2E_RESULTS_FILE)
        fs.writeFileSync(process.env.E2E_RESULTS_FILE, JSON.stringify(summary, null, 2));
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', t => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on('fail', (t, error: Error) =>
      results.push({ title: t.fullTitle(), state: 'failed', error: String(error?.stack ?? error) }),
    );
    runner.on('pending', t => results.push({ title: t.fullTitle(), state: 'pending' }));
  });
}
