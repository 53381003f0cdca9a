import { checkRange } from './errors';
import { sameOrigin, type Origin, type Run } from './origin';
import { findChunk } from './chunks';

/**
 * The attribution runs of one document: a list of `{length, origin}` covering its text exactly, with no empty
 * runs and no two neighbours of the same origin (so memory follows the number of distinct stretches, never the
 * number of edits that produced them).
 *
 * Layout: runs live in chunks of at most `maxRuns` (parallel arrays of lengths and origins, plus the chunk's
 * total length). A change event locates its chunk by binary search over lazily maintained chunk offsets and
 * rewrites that chunk only, so one edit costs O(log chunks + maxRuns) whatever the file's size: the budget is
 * 20 microseconds on a 5,000-line file with 2,000 AI runs (docs/budgets.md). A flat array would have to
 * shift every later run's offset on each keystroke; a balanced tree would meet the budget too, with more code.
 */
interface Chunk {
  lengths: number[];
  origins: Origin[];
  total: number;
}

export class RunList {
  private chunks: Chunk[] = [];
  /** starts[i] is the text offset where chunks[i] begins; valid for i <= validTo. */
  private starts: number[] = [0];
  private validTo = 0;
  private size = 0;
  private count = 0;
  private readonly maxRuns: number;

  /** `maxRuns` bounds a chunk; small values are for tests that exercise chunk boundaries. */
  constructor(runs: Iterable<Run> = [], maxRuns = 64) {
    if (!Number.isInteger(maxRuns) || maxRuns < 2)
      throw new RangeError(`maxRuns must be an integer >= 2, got ${maxRuns}`);
    this.maxRuns = maxRuns;
    const lengths: number[] = [];
    const origins: Origin[] = [];
    for (const run of runs) appendRun(lengths, origins, run.length, run.origin);
    this.chunks = this.pack(lengths, origins);
    for (const c of this.chunks) this.size += c.total;
    this.count = lengths.length;
  }

  /** A run list of `length` code units, all of one origin. */
  static uniform(length: number, origin: Origin, maxRuns?: number): RunList {
    return new RunList(length > 0 ? [{ length, origin }] : [], maxRuns);
  }

  /** The length of the text the runs cover. */
  get length(): number {
    return this.size;
  }

  /** How many runs there are. */
  get runCount(): number {
    return this.count;
  }

  /** All runs, in order. */
  toArray(): Run[] {
    const out: Run[] = [];
    for (const c of this.chunks) {
      for (let i = 0; i < c.lengths.length; i++) {
        // Neighbouring chunks may meet at equal origins only transiently; merge on the way out to be safe.
        const last = out[out.length - 1];
        if (last && sameOrigin(last.origin, c.origins[i]!))
          out[out.length - 1] = { length: last.length + c.lengths[i]!, origin: last.origin };
        else out.push({ length: c.lengths[i]!, origin: c.origins[i]! });
      }
    }
    return out;
  }

  /** The origin of the code unit at `offset`. */
  originAt(offset: number): Origin {
    checkRange(offset, 1, this.size, 'originAt');
    const ci = this.find(offset);
    const c = this.chunks[ci]!;
    let at = this.starts[ci]!;
    for (let i = 0; ; i++) {
      at += c.lengths[i]!;
      if (offset < at) return c.origins[i]!;
    }
  }

  /** The runs covering `[offset, offset + length)`, cut at both ends. */
  slice(offset: number, length: number): Run[] {
    checkRange(offset, length, this.size, 'slice');
    const out: Run[] = [];
    if (length === 0) return out;
    let ci = this.find(offset);
    let c = this.chunks[ci]!;
    let runStart = this.starts[ci]!;
    let i = 0;
    while (runStart + c.lengths[i]! <= offset) {
      runStart += c.lengths[i]!;
      i++;
    }
    let pos = offset;
    const end = offset + length;
    while (pos < end) {
      const runEnd = runStart + c.lengths[i]!;
      const take = Math.min(runEnd, end) - pos;
      const origin = c.origins[i]!;
      const last = out[out.length - 1];
      if (last && sameOrigin(last.origin, origin))
        out[out.length - 1] = { length: last.length + take, origin: last.origin };
      else out.push({ length: take, origin });
      pos += take;
      runStart = runEnd;
      if (++i === c.lengths.length && pos < end) {
        c = this.chunks[++ci]!;
        i = 0;
      }
    }
    return out;
  }

  /**
   * Replaces the runs of `[offset, offset + deleteLength)` with `insert` (whose lengths sum to the inserted
   * text's length). Throws, changing nothing, if the range is outside the text.
   */
  replace(offset: number, deleteLength: number, insert: readonly Run[]): void {
    checkRange(offset, deleteLength, this.size, 'replace');
    let inserted = 0;
    for (const r of insert) inserted += r.length;
    if (deleteLength === 0 && inserted === 0) return;
    this.size += inserted - deleteLength;

    if (this.chunks.length === 0) {
      const lengths: number[] = [];
      const origins: Origin[] = [];
      for (const r of insert) appendRun(lengths, origins, r.length, r.origin);
      this.chunks = this.pack(lengths, origins);
      this.count = lengths.length;
      this.validTo = 0;
      return;
    }

    // The window: chunks c..d, which hold both ends of the replaced range. Rebuild it as: the runs before the
    // range (copied as they are: already canonical), the head of the run the range starts in, the inserted runs,
    // the tail of the run it ends in, then the runs after it. Only the pieces at the seams can merge.
    let c = this.find(offset);
    const end = offset + deleteLength;
    let d = deleteLength === 0 ? c : this.find(end);
    let oldLengths: number[];
    let oldOrigins: Origin[];
    if (c === d) {
      oldLengths = this.chunks[c]!.lengths;
      oldOrigins = this.chunks[c]!.origins;
    } else {
      oldLengths = [];
      oldOrigins = [];
      for (let k = c; k <= d; k++) {
        oldLengths.push(...this.chunks[k]!.lengths);
        oldOrigins.push(...this.chunks[k]!.origins);
      }
    }
    let oldCount = oldLengths.length;
    let i0 = 0;
    let pos = this.starts[c]!;
    while (i0 < oldLengths.length && pos + oldLengths[i0]! <= offset) pos += oldLengths[i0++]!;
    let i1 = i0;
    let pos1 = pos;
    while (i1 < oldLengths.length && pos1 + oldLengths[i1]! <= end) pos1 += oldLengths[i1++]!;
    const lengths = oldLengths.slice(0, i0);
    const origins = oldOrigins.slice(0, i0);
    appendRun(lengths, origins, offset - pos, oldOrigins[i0]!);
    for (const r of insert) appendRun(lengths, origins, r.length, r.origin);
    if (i1 < oldLengths.length) {
      appendRun(lengths, origins, pos1 + oldLengths[i1]! - end, oldOrigins[i1]!);
      for (let k = i1 + 1; k < oldLengths.length; k++) {
        lengths.push(oldLengths[k]!);
        origins.push(oldOrigins[k]!);
      }
    }

    // Keep the "no equal neighbours" invariant across the window's edges.
    const prev = c > 0 ? this.chunks[c - 1]! : undefined;
    const next = d + 1 < this.chunks.length ? this.chunks[d + 1]! : undefined;
    if (prev && lengths.length > 0 && sameOrigin(prev.origins[prev.origins.length - 1]!, origins[0]!)) {
      prev.lengths[prev.lengths.length - 1]! += lengths[0]!;
      prev.total += lengths[0]!;
      lengths.shift();
      origins.shift();
    }
    if (next && lengths.length > 0 && sameOrigin(next.origins[0]!, origins[origins.length - 1]!)) {
      next.lengths[0]! += lengths[lengths.length - 1]!;
      next.total += lengths[lengths.length - 1]!;
      lengths.pop();
      origins.pop();
    }
    if (lengths.length === 0 && prev && next && sameOrigin(prev.origins[prev.origins.length - 1]!, next.origins[0]!)) {
      // The window vanished and its neighbours now touch with equal origins: fold next's first run into prev.
      prev.lengths[prev.lengths.length - 1]! += next.lengths[0]!;
      prev.total += next.lengths[0]!;
      next.total -= next.lengths[0]!;
      next.lengths.shift();
      next.origins.shift();
      this.count--;
      if (next.lengths.length === 0) d++;
    }
    // Fold a small window into its left neighbour so chunks do not shrink into dust after many deletions.
    if (prev && prev.lengths.length + lengths.length <= this.maxRuns >> 1) {
      lengths.unshift(...prev.lengths);
      origins.unshift(...prev.origins);
      oldCount += prev.lengths.length;
      c--;
    }
    this.count += lengths.length - oldCount;
    this.chunks.splice(c, d - c + 1, ...this.pack(lengths, origins));
    // Chunks before c-1 kept their offsets; c-1 may have grown.
    this.validTo = Math.min(this.validTo, Math.max(0, c - 1));
  }

  /** A deep copy, sharing origin objects. O(runs). */
  clone(): RunList {
    const copy = Object.create(RunList.prototype) as RunList;
    Object.assign(copy, this, {
      chunks: this.chunks.map(c => ({ lengths: c.lengths.slice(), origins: c.origins.slice(), total: c.total })),
      starts: this.starts.slice(),
    });
    return copy;
  }

  /** Calls `visit` for each run in order, without allocating. */
  forEach(visit: (length: number, origin: Origin) => void): void {
    for (const c of this.chunks) for (let i = 0; i < c.lengths.length; i++) visit(c.lengths[i]!, c.origins[i]!);
  }

  private pack(lengths: number[], origins: Origin[]): Chunk[] {
    const out: Chunk[] = [];
    if (lengths.length === 0) return out;
    if (lengths.length <= this.maxRuns) {
      let total = 0;
      for (const x of lengths) total += x;
      out.push({ lengths, origins, total });
      return out;
    }
    // Split an oversized window into even pieces of about half a chunk, leaving room to grow.
    const pieces = lengths.length <= this.maxRuns ? 1 : Math.ceil(lengths.length / Math.max(1, this.maxRuns >> 1));
    const per = Math.ceil(lengths.length / pieces);
    for (let at = 0; at < lengths.length; at += per) {
      const l = lengths.slice(at, at + per);
      let total = 0;
      for (const x of l) total += x;
      out.push({ lengths: l, origins: origins.slice(at, at + per), total });
    }
    return out;
  }

  /** Index of the chunk holding `offset` (the last chunk for the end of the text). Needs at least one chunk. */
  private find(offset: number): number {
    const chunks = this.chunks;
    const [index, validTo] = findChunk(this.starts, this.validTo, chunks.length, i => chunks[i]!.total, offset);
    this.validTo = validTo;
    return index;
  }
}

/** Appends a run to parallel arrays, merging with the last one when the origins match; skips empty runs. */
export function appendRun(lengths: number[], origins: Origin[], length: number, origin: Origin): void {
  if (length <= 0) return;
  const n = lengths.length;
  if (n > 0 && sameOrigin(origins[n - 1]!, origin)) lengths[n - 1]! += length;
  else {
    lengths.push(length);
    origins.push(origin);
  }
}
