import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, nowMicros, percentile, withBudget, type Benchmark, type BenchResult } from './harness';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
/** What the launcher runs for `agent-hook`: the hook bundled alone. */
const hookBundle = path.join(root, 'dist', 'agent-hook.js');

function timeSpawn(args: string[], input: string, env: NodeJS.ProcessEnv = process.env): number {
  const start = nowMicros();
  const r = spawnSync(process.execPath, args, { input, stdio: ['pipe', 'pipe', 'pipe'], env });
  const ms = (nowMicros() - start) / 1000;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  if (r.stdout.length > 0)
    throw new Error(`node ${args.join(' ')} printed on stdout: ${r.stdout.toString().slice(0, 200)}`);
  return ms;
}

/**
 * One agent hook invocation (docs/capture.md: "a hook never blocks or slows the agent noticeably"): the
 * wall time of `ai-provenance agent-hook claude-code` with a PostToolUse Edit payload on stdin, in a real
 * repository (it finds the repository, reads the file, appends a spool record), against `node -e 0` (the floor
 * for any Node hook), interleaved in the same run. Budget: median under 2 times the floor.
 */
export const benchmark: Benchmark = {
  name: 'agent-hook',
  async run(): Promise<BenchResult[]> {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bench-hook-')));
    try {
      execFileSync('git', ['init', '-q', dir]);
      const file = path.join(dir, 'src', 'app.ts');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const lines = Array.from({ length: 2000 }, (_, i) => `export const value${i} = ${i};\n`);
      fs.writeFileSync(file, lines.join('') + 'export function added() {\n  return 1;\n}\n');
      const payload = JSON.stringify({
        session_id: 'bench-session',
        transcript_path: path.join(dir, 'missing-transcript.jsonl'),
        cwd: dir,
        permission_mode: 'default',
        hook_event_name: 'PostToolUse',
        tool_name: 'Edit',
        tool_input: {
          file_path: file,
          old_string: 'export const value1999 = 1999;\n',
          new_string: 'export const value1999 = 1999;\nexport function added() {\n  return 1;\n}\n',
        },
        tool_response: { filePath: file, success: true },
        tool_use_id: 'toolu_bench',
      });
      const runs = 30;
      const floor: number[] = [];
      const hook: number[] = [];
      const whole: number[] = [];
      // The same pair without NODE_EXTRA_CA_CERTS (every Node start reads that bundle, about 40 ms here): what the
      // hook costs where the variable is not set, which is most machines.
      const bare = { ...process.env };
      delete bare.NODE_EXTRA_CA_CERTS;
      const bareFloor: number[] = [];
      const bareHook: number[] = [];
      timeSpawn([hookBundle, 'agent-hook', 'claude-code'], payload); // warm the file cache
      timeSpawn([cli, 'agent-hook', 'claude-code'], payload);
      for (let i = 0; i < runs; i++) {
        floor.push(timeSpawn(['-e', '0'], ''));
        hook.push(timeSpawn([hookBundle, 'agent-hook', 'claude-code'], payload));
        whole.push(timeSpawn([cli, 'agent-hook', 'claude-code'], payload));
        if (process.env.NODE_EXTRA_CA_CERTS) {
          bareFloor.push(timeSpawn(['-e', '0'], '', bare));
          bareHook.push(timeSpawn([hookBundle, 'agent-hook', 'claude-code'], payload, bare));
        }
      }
      const extraRuns = bareHook.length;
      const spooled = fs
        .readdirSync(path.join(dir, '.git', 'ai-provenance', 'spool'))
        .filter(n => n.endsWith('.json')).length;
      if (spooled !== 2 * runs + extraRuns + 2)
        throw new Error(`expected ${2 * runs + extraRuns + 2} spool records, found ${spooled}`);
      return [
        withBudget({
          name: 'agentHook.invocation',
          description: `wall time of one 'agent-hook claude-code' PostToolUse Edit (2,000-line file), as the launcher runs it (dist/agent-hook.js), against 'node -e 0' started with the same environment (NODE_EXTRA_CA_CERTS, when set, costs both sides its read), ${runs} runs each, interleaved; and through the whole CLI bundle (before 0.2); where NODE_EXTRA_CA_CERTS is set, also both without it (withoutExtraCaCerts*)`,
          metrics: {
            extraCaCerts: process.env.NODE_EXTRA_CA_CERTS ? 1 : 0,
            wholeCliMedianMs: median(whole),
            wholeCliRatioToFloor: median(whole) / median(floor),
            medianMs: median(hook),
            worstMs: Math.max(...hook),
            p90Ms: percentile(hook, 90),
            floorMedianMs: median(floor),
            floorWorstMs: Math.max(...floor),
            ratioToFloor: median(hook) / median(floor),
            worstRatioToFloorWorst: Math.max(...hook) / Math.max(...floor),
            ...(extraRuns > 0
              ? {
                  withoutExtraCaCertsMedianMs: median(bareHook),
                  withoutExtraCaCertsFloorMedianMs: median(bareFloor),
                  withoutExtraCaCertsRatioToFloor: median(bareHook) / median(bareFloor),
                }
              : {}),
          },
          budget: {
            metric: 'ratioToFloor',
            max: 1.3,
            description: 'median hook invocation at most 1.3 times node -e 0',
          },
        }),
      ];
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
