import { HUMAN, UNKNOWN, isAiKind, isTool, type AiOrigin, type Origin, type Run } from '../attribution/origin';

/**
 * How runs are stored (local state records, recorded traces): AI origins listed once, runs as
 * `[length, origin]` pairs where origin is `"h"`, `"u"` or an index into `origins`. Compact, and decoding gives
 * back one shared object per origin, so adjacent runs of one insertion merge again.
 *
 *   { "origins": [{ "id": "...", "tool": "copilot", "kind": "inline", "at": "..." }], "runs": [[120, "h"], [30, 0]] }
 */
export interface StoredRuns {
  origins: AiOrigin[];
  runs: [number, 'h' | 'u' | number][];
}

export function encodeRuns(runs: readonly Run[]): StoredRuns {
  const origins: AiOrigin[] = [];
  const index = new Map<string, number>();
  const out: StoredRuns['runs'] = [];
  for (const { length, origin } of runs) {
    if (length === 0) continue;
    if (origin === HUMAN) out.push([length, 'h']);
    else if (origin === UNKNOWN) out.push([length, 'u']);
    else {
      let i = index.get(origin.id);
      if (i === undefined) {
        i = origins.length;
        origins.push(origin);
        index.set(origin.id, i);
      }
      out.push([length, i]);
    }
  }
  return { origins, runs: out };
}

/** Stored runs that do not decode: the message says which part is wrong. */
export class RunsFormatError extends Error {
  override readonly name = 'RunsFormatError';
}

function decodeOrigin(value: unknown, i: number): AiOrigin {
  if (typeof value !== 'object' || value === null) throw new RunsFormatError(`origins[${i}] is not an object`);
  const o = value as Record<string, unknown>;
  if (typeof o.id !== 'string' || o.id === '') throw new RunsFormatError(`origins[${i}].id must be a non-empty string`);
  if (!isTool(o.tool)) throw new RunsFormatError(`origins[${i}].tool "${String(o.tool)}" is not a known tool`);
  if (!isAiKind(o.kind)) throw new RunsFormatError(`origins[${i}].kind "${String(o.kind)}" is not a known kind`);
  if (typeof o.at !== 'string') throw new RunsFormatError(`origins[${i}].at must be a string`);
  const origin: { -readonly [K in keyof AiOrigin]: AiOrigin[K] } = { id: o.id, tool: o.tool, kind: o.kind, at: o.at };
  if (typeof o.model === 'string') origin.model = o.model;
  if (typeof o.session === 'string') origin.session = o.session;
  return origin;
}

/** Decodes and validates; `expectedLength`, when given, must equal the sum of the run lengths. */
export function decodeRuns(value: unknown, expectedLength?: number): Run[] {
  if (typeof value !== 'object' || value === null) throw new RunsFormatError('stored runs must be an object');
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v.origins)) throw new RunsFormatError('origins must be an array');
  if (!Array.isArray(v.runs)) throw new RunsFormatError('runs must be an array');
  const origins = v.origins.map(decodeOrigin);
  const runs: Run[] = [];
  let total = 0;
  v.runs.forEach((item: unknown, i: number) => {
    if (!Array.isArray(item) || item.length !== 2) throw new RunsFormatError(`runs[${i}] must be [length, origin]`);
    const [length, ref] = item as [unknown, unknown];
    if (typeof length !== 'number' || !Number.isInteger(length) || length <= 0)
      throw new RunsFormatError(`runs[${i}] length must be a positive whole number`);
    let origin: Origin;
    if (ref === 'h') origin = HUMAN;
    else if (ref === 'u') origin = UNKNOWN;
    else if (typeof ref === 'number' && Number.isInteger(ref) && ref >= 0 && ref < origins.length)
      origin = origins[ref]!;
    else throw new RunsFormatError(`runs[${i}] origin must be "h", "u" or an index into origins`);
    const last = runs[runs.length - 1];
    if (last && last.origin === origin) runs[runs.length - 1] = { length: last.length + length, origin };
    else runs.push({ length, origin });
    total += length;
  });
  if (expectedLength !== undefined && total !== expectedLength) {
    throw new RunsFormatError(`runs cover ${total} characters but the text has ${expectedLength}`);
  }
  return runs;
}
