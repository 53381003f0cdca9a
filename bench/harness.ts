import { spawnSync } from 'node:child_process';

/**
 * The shape every benchmark returns, and small helpers to measure. Benchmarks report numbers and, where a
 * budget exists, a ratio against a baseline measured in the same run on the same machine: never a pass/fail
 * on wall time alone.
 */
export interface BenchResult {
  /** Stable id, e.g. "engine.changeEvent". */
  name: string;
  /** What was measured, in words. */
  description: string;
  /** The measured numbers, units in the key (e.g. medianMicros, bytes). */
  metrics: Record<string, number>;
  /** The budget from docs/budgets.md, if any. */
  budget?: { metric: string; max: number; description: string };
  /** Whether the budget metric is within the budget (absent when there is no budget). */
  withinBudget?: boolean;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult[]>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Microseconds since an arbitrary origin, high resolution. */
export function nowMicros(): number {
  return Number(process.hrtime.bigint()) / 1000;
}

export function withBudget(result: Omit<BenchResult, 'withinBudget'>): BenchResult {
  if (!result.budget) return result;
  const value = result.metrics[result.budget.metric];
  return { ...result, withinBudget: value !== undefined && value <= result.budget.max };
}

/**
 * The environment benches start programs in: without NODE_EXTRA_CA_CERTS, which adds about 45 ms to each Node start
 * on this machine (most machines have none).
 */
export const BENCH_ENV: NodeJS.ProcessEnv = (({ NODE_EXTRA_CA_CERTS: _, ...rest }) => rest)(process.env);

/** Milliseconds one run of `program args` takes in `cwd` (output ignored; a failure throws with its stderr). */
export function timed(program: string, args: readonly string[], cwd: string, env = BENCH_ENV): number {
  const start = nowMicros();
  const r = spawnSync(program, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return (nowMicros() - start) / 1000;
}
