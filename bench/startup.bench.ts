import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { median, nowMicros, percentile, withBudget, type Benchmark, type BenchResult } from './harness';

const root = path.resolve(__dirname, '..', '..');

function timeSpawn(args: string[], runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = nowMicros();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    times.push((nowMicros() - start) / 1000);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  }
  return times;
}

/** Bundle sizes (budget: extension under 400 KB) and CLI start-up against Node's own floor. */
export const benchmark: Benchmark = {
  name: 'startup',
  async run(): Promise<BenchResult[]> {
    const extBytes = fs.statSync(path.join(root, 'dist', 'extension.js')).size;
    const cliBytes = fs.statSync(path.join(root, 'dist', 'cli.js')).size;
    const runs = 30;
    // Interleave so machine noise hits both equally.
    const floor: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < runs; i++) {
      floor.push(...timeSpawn(['-e', '0'], 1));
      cli.push(...timeSpawn([path.join(root, 'dist', 'cli.js'), '--version'], 1));
    }
    return [
      withBudget({
        name: 'bundle.extension',
        description: 'size of dist/extension.js',
        metrics: { bytes: extBytes, cliBytes },
        budget: { metric: 'bytes', max: 400 * 1024, description: 'extension bundle under 400 KB' },
      }),
      {
        name: 'cli.startup',
        description: `wall time of 'ai-provenance --version' against 'node -e 0', ${runs} runs each, interleaved`,
        metrics: {
          medianMs: median(cli),
          p90Ms: percentile(cli, 90),
          floorMedianMs: median(floor),
          ratioToFloor: median(cli) / median(floor),
        },
      },
    ];
  },
};
