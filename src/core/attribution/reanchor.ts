import { diffLines, diffWordsWithSpace, type Change } from 'diff';
import { UNKNOWN, sameOrigin, type Origin, type Run } from './origin';

/**
 * Re-anchoring (docs/attribution.md): the text changed outside the editor with no known source. Diff the last
 * known text against the new one, kept text keeps its origin, new text is `unknown`. Unexplained text is never AI.
 *
 * Steps, cheapest first, so a small change to a 10 MB file costs two string scans:
 * 1. the common prefix and suffix are kept as they are;
 * 2. the middle is diffed by lines (`diffLines`); equal lines are kept;
 * 3. each block of changed lines (removed lines facing added lines) is diffed by tokens (`diffWordsWithSpace`:
 *    words, punctuation, runs of spaces, line breaks), so an edited line keeps the origin of its untouched words.
 * Every diff runs under a shared time budget; if it runs out, the part not yet diffed becomes `unknown` (safe:
 * an origin is lost, never invented). A result that does not cover the new text exactly (which would be a bug
 * in a diff) is discarded the same way: only the common prefix and suffix keep their origins.
 */
export interface ReanchorOptions {
  /** Total time for the diffs, in milliseconds. Default 3000. */
  timeoutMs?: number;
}

export interface ReanchorResult {
  runs: Run[];
  /** False when the time budget ran out and some text became `unknown` without being diffed. */
  complete: boolean;
}

/** Builds a run array, merging neighbours with equal origins. */
class RunBuilder {
  readonly runs: Run[] = [];
  length = 0;

  add(length: number, origin: Origin): void {
    if (length <= 0) return;
    this.length += length;
    const last = this.runs[this.runs.length - 1];
    if (last && sameOrigin(last.origin, origin))
      this.runs[this.runs.length - 1] = { length: last.length + length, origin: last.origin };
    else this.runs.push({ length, origin });
  }
}

/** Reads the old runs forward: kept spans arrive in increasing old offsets. */
class OldRuns {
  private index = 0;
  private runStart = 0;

  constructor(private readonly runs: readonly Run[]) {}

  /** Appends the origins of old `[offset, offset + length)` to `out`. */
  copy(offset: number, length: number, out: RunBuilder): void {
    const end = offset + length;
    let pos = offset;
    while (pos < end) {
      let run = this.runs[this.index]!;
      while (this.runStart + run.length <= pos) {
        this.runStart += run.length;
        run = this.runs[++this.index]!;
      }
      const take = Math.min(this.runStart + run.length, end) - pos;
      out.add(take, run.origin);
      pos += take;
    }
  }
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  // Compare in blocks first: a 10 MB file with one change deep inside should not cost 10 M charCodeAt calls.
  const block = 4096;
  while (i + block <= n && a.slice(i, i + block) === b.slice(i, i + block)) i += block;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  const block = 4096;
  while (
    i + block <= max &&
    a.slice(a.length - i - block, a.length - i) === b.slice(b.length - i - block, b.length - i)
  )
    i += block;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

export function reanchor(
  oldText: string,
  oldRuns: readonly Run[],
  newText: string,
  options: ReanchorOptions = {},
): ReanchorResult {
  const deadline = Date.now() + (options.timeoutMs ?? 3000);
  const [prefix, suffix] = lineAlignedEnds(oldText, newText);
  const oldMid = oldText.slice(prefix, oldText.length - suffix);
  const newMid = newText.slice(prefix, newText.length - suffix);

  const out = new RunBuilder();
  new OldRuns(oldRuns).copy(0, prefix, out);
  let complete = true;
  if (oldMid.length === 0 || newMid.length === 0) {
    out.add(newMid.length, UNKNOWN);
  } else {
    const middle = diffMiddle(oldMid, newMid, new OldRuns(oldRuns), prefix, deadline);
    if (middle) {
      for (const r of middle.runs) out.add(r.length, r.origin);
      complete = middle.complete;
    } else {
      out.add(newMid.length, UNKNOWN);
      complete = false;
    }
  }
  new OldRuns(oldRuns).copy(oldText.length - suffix, suffix, out);
  if (out.length !== newText.length) {
    throw new Error(
      `re-anchoring produced runs of ${out.length} code units for a text of ${newText.length}: this is a bug`,
    );
  }
  return { runs: out.runs, complete };
}

/**
 * The common prefix and suffix. When the change is one insertion (or deletion) of text with line breaks, where it
 * sits is ambiguous: "export const zero = 0;\n" put in before "export function total" reads, character-wise, as
 * "const zero = 0;\nexport " put in after "export ", and the new line would keep the old line's "export ". Slide
 * it back to start a line when it can, as git's diff does.
 */
function lineAlignedEnds(oldText: string, newText: string): [number, number] {
  let prefix = commonPrefix(oldText, newText);
  let suffix = commonSuffix(oldText, newText, Math.min(oldText.length, newText.length) - prefix);
  const oldMid = oldText.length - prefix - suffix;
  const newMid = newText.length - prefix - suffix;
  if ((oldMid === 0) === (newMid === 0)) return [prefix, suffix];
  const text = newMid > 0 ? newText : oldText;
  const length = newMid > 0 ? newMid : oldMid;
  if (text.lastIndexOf('\n', prefix + length - 1) < prefix) return [prefix, suffix];
  let at = prefix;
  while (at > 0 && text.charCodeAt(at - 1) !== 0x0a && text.charCodeAt(at - 1) === text.charCodeAt(at + length - 1))
    at--;
  if (at === 0 || text.charCodeAt(at - 1) === 0x0a) {
    suffix += prefix - at;
    prefix = at;
  }
  return [prefix, suffix];
}

/**
 * The runs of `newMid`, from a line diff against `oldMid` (which starts at old offset `base`) refined by tokens.
 * Undefined if the line diff timed out or its result does not add up.
 */
function diffMiddle(
  oldMid: string,
  newMid: string,
  cursor: OldRuns,
  base: number,
  deadline: number,
): ReanchorResult | undefined {
  const remaining = (): number => Math.max(1, deadline - Date.now());
  const lines = diffLines(oldMid, newMid, { timeout: remaining() });
  if (!lines) return undefined;
  const out = new RunBuilder();
  let complete = true;
  let oldPos = 0;
  let newPos = 0;
  let removed = '';
  let added = '';
  const flush = (): void => {
    if (removed.length > 0 && added.length > 0) {
      const tokens = diffWordsWithSpace(removed, added, { timeout: remaining() });
      if (!tokens || !emitTokens(tokens, removed, added, cursor, base + oldPos, out)) {
        complete = false;
        out.add(added.length, UNKNOWN);
      }
    } else {
      out.add(added.length, UNKNOWN);
    }
    oldPos += removed.length;
    newPos += added.length;
    removed = '';
    added = '';
  };
  for (const change of lines) {
    if (change.removed) removed += change.value;
    else if (change.added) added += change.value;
    else {
      flush();
      if (!oldMid.startsWith(change.value, oldPos) || !newMid.startsWith(change.value, newPos)) return undefined;
      cursor.copy(base + oldPos, change.value.length, out);
      oldPos += change.value.length;
      newPos += change.value.length;
    }
  }
  flush();
  if (oldPos !== oldMid.length || newPos !== newMid.length || out.length !== newMid.length) return undefined;
  return { runs: out.runs, complete };
}

/** Emits the runs of one token-diffed block; false (having emitted nothing) if the diff does not add up. */
function emitTokens(
  changes: Change[],
  removed: string,
  added: string,
  cursor: OldRuns,
  oldBase: number,
  out: RunBuilder,
): boolean {
  // Check first: a half-emitted block would leave the runs out of step with the text.
  let o = 0;
  let n = 0;
  for (const c of changes) {
    if (c.removed) o += c.value.length;
    else if (c.added) n += c.value.length;
    else {
      if (!removed.startsWith(c.value, o) || !added.startsWith(c.value, n)) return false;
      o += c.value.length;
      n += c.value.length;
    }
  }
  if (o !== removed.length || n !== added.length) return false;
  o = 0;
  for (const c of changes) {
    if (c.removed) o += c.value.length;
    else if (c.added) out.add(c.value.length, UNKNOWN);
    else {
      cursor.copy(oldBase + o, c.value.length, out);
      o += c.value.length;
    }
  }
  return true;
}
