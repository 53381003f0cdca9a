import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeLauncher } from '../src/io/git/hooks';
import { median, nowMicros, percentile, withBudget, type Benchmark, type BenchResult } from './harness';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function timeSpawn(program: string, args: string[], input: string, env: NodeJS.ProcessEnv): number {
  const start = nowMicros();
  const r = spawnSync(program, args, { input, stdio: ['pipe', 'pipe', 'pipe'], env });
  const ms = (nowMicros() - start) / 1000;
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  if (r.stdout.length > 0)
    throw new Error(`${program} ${args.join(' ')} printed on stdout: ${r.stdout.toString().slice(0, 200)}`);
  return ms;
}

/** A Claude Code transcript of a long session (about 4 MB of JSONL), whose end names the model. */
function transcript(file: string): void {
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++)
    lines.push(
      JSON.stringify({
        type: i % 2 ? 'assistant' : 'user',
        sessionId: 'bench-session',
        uuid: `u-${i}`,
        message: {
          role: i % 2 ? 'assistant' : 'user',
          ...(i % 2 ? { model: 'claude-sonnet-4-5' } : {}),
          content: [{ type: 'text', text: `turn ${i}: ${'lorem ipsum dolor sit amet '.repeat(36)}` }],
        },
      }),
    );
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

/**
 * One agent hook invocation as agents make it (docs/capture.md: "a hook never blocks or slows the agent
 * noticeably"): the launcher (`sh`, then the hook's loader and bundle) run for `agent-hook claude-code` with a
 * PostToolUse Edit of a 2,000-line file, in a real repository, with a 4 MB transcript whose end names the model;
 * against `node -e 0` in the same run, interleaved. The budget's condition is the one most machines have: no
 * NODE_EXTRA_CA_CERTS (every Node start here reads that bundle, about 45 ms, on both sides); with it, both sides
 * are measured too (withExtraCaCerts*), and so is the whole CLI (before 0.2).
 */
export const benchmark: Benchmark = {
  name: 'agent-hook',
  async run(): Promise<BenchResult[]> {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bench-hook-')));
    try {
      const repo = path.join(dir, 'repo');
      execFileSync('git', ['init', '-q', repo]);
      const file = path.join(repo, 'src', 'app.ts');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const lines = Array.from({ length: 2000 }, (_, i) => `export const value${i} = ${i};\n`);
      fs.writeFileSync(file, lines.join('') + 'export function added() {\n  return 1;\n}\n');
      const transcriptPath = path.join(dir, 'transcript.jsonl');
      transcript(transcriptPath);
      const payload = JSON.stringify({
        session_id: 'bench-session',
        transcript_path: transcriptPath,
        cwd: repo,
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
      const withCa = process.env.NODE_EXTRA_CA_CERTS !== undefined;
      const bare: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_CACHE_HOME: path.join(dir, 'cache') };
      delete bare.NODE_EXTRA_CA_CERTS;
      bare.AI_PROVENANCE_HOME = path.join(dir, 'ai-provenance');
      const launcher = writeLauncher({ node: process.execPath, cli }, bare);
      const ca: NodeJS.ProcessEnv = { ...bare, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS };
      const hookArgs = ['agent-hook', 'claude-code'];
      // Warm the file cache and write the code cache, as the agent's first tool call does.
      timeSpawn(launcher, hookArgs, payload, bare);
      timeSpawn(process.execPath, [cli, ...hookArgs], payload, bare);
      const runs = 30;
      const floor: number[] = [];
      const hook: number[] = [];
      const whole: number[] = [];
      const caFloor: number[] = [];
      const caHook: number[] = [];
      for (let i = 0; i < runs; i++) {
        floor.push(timeSpawn(process.execPath, ['-e', '0'], '', bare));
        hook.push(timeSpawn(launcher, hookArgs, payload, bare));
        whole.push(timeSpawn(process.execPath, [cli, ...hookArgs], payload, bare));
        if (withCa) {
          caFloor.push(timeSpawn(process.execPath, ['-e', '0'], '', ca));
          caHook.push(timeSpawn(launcher, hookArgs, payload, ca));
        }
      }
      const spooled = fs
        .readdirSync(path.join(repo, '.git', 'ai-provenance', 'spool'))
        .filter(n => n.endsWith('.json')).length;
      const expected = 2 * runs + caHook.length + 2;
      if (spooled !== expected) throw new Error(`expected ${expected} spool records, found ${spooled}`);
      return [
        withBudget({
          name: 'agentHook.invocation',
          description: `wall time of one 'agent-hook claude-code' PostToolUse Edit (2,000-line file, 4 MB transcript) through the launcher, against 'node -e 0', both without NODE_EXTRA_CA_CERTS, ${runs} runs each, interleaved; the whole CLI (before 0.2) alike; where NODE_EXTRA_CA_CERTS is set, also both with it (withExtraCaCerts*)`,
          metrics: {
            medianMs: median(hook),
            p90Ms: percentile(hook, 90),
            floorMedianMs: median(floor),
            ratioToFloor: median(hook) / median(floor),
            wholeCliMedianMs: median(whole),
            wholeCliRatioToFloor: median(whole) / median(floor),
            ...(withCa
              ? {
                  withExtraCaCertsMedianMs: median(caHook),
                  withExtraCaCertsFloorMedianMs: median(caFloor),
                  withExtraCaCertsRatioToFloor: median(caHook) / median(caFloor),
                }
              : {}),
          },
          budget: {
            metric: 'ratioToFloor',
            max: 1.3,
            description: 'median hook invocation through the launcher at most 1.3 times node -e 0',
          },
        }),
      ];
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
