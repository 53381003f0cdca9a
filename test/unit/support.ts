import { Engine, type EngineOptions } from '../../src/core/attribution/engine';
import type { ProvenanceEvent } from '../../src/core/attribution/events';
import type { Origin, Run } from '../../src/core/attribution/origin';

/** An engine with deterministic ids (`id-0`, `id-1`...) and clock. */
export function testEngine(options: EngineOptions = {}): Engine {
  let next = 0;
  return new Engine({ newId: () => `id-${next++}`, now: () => new Date(Date.UTC(2026, 0, 1)), ...options });
}

export function applyAll(engine: Engine, events: readonly ProvenanceEvent[]): Engine {
  for (const e of events) engine.apply(e);
  return engine;
}

/** One label per code unit: `h`, `u`, or `tool/kind` for AI. Easy to read in a failing assertion. */
export function labels(runs: readonly Run[]): string[] {
  const out: string[] = [];
  for (const r of runs) for (let i = 0; i < r.length; i++) out.push(label(r.origin));
  return out;
}

export function label(origin: Origin): string {
  if (origin === 'human') return 'h';
  if (origin === 'unknown') return 'u';
  return `${origin.tool}/${origin.kind}${origin.model ? `/${origin.model}` : ''}`;
}

/** The labels of a tracked file, run-length encoded: `h*3 copilot/inline*5`. */
export function describeRuns(engine: Engine, path: string): string {
  return engine
    .runs(path)
    .map(r => `${label(r.origin)}*${r.length}`)
    .join(' ');
}
