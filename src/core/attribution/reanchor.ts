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
  /**
   * The origin of text the new version adds (default `unknown`): given when the change is known to be one
   * writer's, a chat editing session's that holds the file. Text that only a timed-out diff could not place stays
   * unknown.
   */
  added?: Origin;
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

/** The old runs, for copying the origins of any old span (moved text is copied out of order). */
class OldRuns {
  private readonly starts: number[] = [];

  constructor(private readonly runs: readonly Run[]) {
    let at = 0;
    for (const r of runs) {
      this.starts.push(at);
      at += r.length;
    }
  }

  /** Appends the origins of old `[offset, offset + length)` to `out`. */
  copy(offset: number, length: number, out: RunBuilder): void {
    if (length <= 0) return;
    // The last run starting at or before offset.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const end = offset + length;
    let pos = offset;
    for (let index = lo; pos < end; index++) {
      const run = this.runs[index]!;
      const take = Math.min(this.starts[index]! + run.length, end) - pos;
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
  const added = options.added ?? UNKNOWN;
  const [prefix, suffix] = wholeLineEnds(oldText, newText, ...lineAlignedEnds(oldText, newText));
  const oldMid = oldText.slice(prefix, oldText.length - suffix);
  const newMid = newText.slice(prefix, newText.length - suffix);

  const out = new RunBuilder();
  const old = new OldRuns(oldRuns);
  old.copy(0, prefix, out);
  let complete = true;
  if (oldMid.length === 0 || newMid.length === 0) {
    out.add(newMid.length, added);
  } else {
    const middle = diffMiddle(oldMid, newMid, old, prefix, deadline, added);
    if (middle) {
      for (const r of middle.runs) out.add(r.length, r.origin);
      complete = middle.complete;
    } else {
      out.add(newMid.length, UNKNOWN);
      complete = false;
    }
  }
  old.copy(oldText.length - suffix, suffix, out);
  if (out.length !== newText.length) {
    throw new Error(
      `re-anchoring produced runs of ${out.length} code units for a text of ${newText.length}: this is a bug`,
    );
  }
  return { runs: out.runs, complete };
}

/**
 * When the change spans lines, the prefix and suffix end and start at line breaks, so the line diff sees whole
 * lines (a moved line is found by its text, not by a part of it that a prefix happened to cut). A change within
 * one line keeps the exact ends: a character typed into a word changes that character only.
 */
function wholeLineEnds(oldText: string, newText: string, prefix: number, suffix: number): [number, number] {
  const within = (text: string): boolean => {
    const nl = text.indexOf('\n', prefix);
    return nl < 0 || nl >= text.length - suffix;
  };
  if (within(oldText) && within(newText)) return [prefix, suffix];
  const start = prefix === 0 ? 0 : oldText.lastIndexOf('\n', prefix - 1) + 1;
  let end = suffix;
  if (
    end > 0 &&
    !(oldText.charCodeAt(oldText.length - end - 1) === 0x0a && newText.charCodeAt(newText.length - end - 1) === 0x0a)
  ) {
    const nl = oldText.indexOf('\n', oldText.length - end);
    end = nl < 0 ? 0 : oldText.length - nl - 1;
  }
  const replaced = oldText.length - prefix - suffix > 0 && newText.length - prefix - suffix > 0;
  if (!replaced) return [start, end];
  // Text replaced, maybe moved: a brace or blank line at either edge may belong to the block that moved (a moved
  // function's closing brace), so let the line diff and the move search see it.
  let from = start;
  for (let n = 0; n < TRIVIAL_EDGE_LINES && from > 0; n++) {
    const lineStart = oldText.lastIndexOf('\n', from - 2) + 1;
    if (weight(oldText.slice(lineStart, from)) > 0) break;
    from = lineStart;
  }
  let to = end;
  for (let n = 0; n < TRIVIAL_EDGE_LINES && to > 0; n++) {
    const lineStart = oldText.length - to;
    const nl = oldText.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? oldText.length : nl + 1;
    if (weight(oldText.slice(lineStart, lineEnd)) > 0) break;
    to = oldText.length - lineEnd;
  }
  return [from, to];
}

/** Most brace and blank lines taken into the middle at each edge of a replacement. */
const TRIVIAL_EDGE_LINES = 4;

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

/** One line of a changed block: its text (line break included) and where it starts in the middle text. */
interface LineAt {
  text: string;
  pos: number;
}

/** The line diff as kept spans and changed blocks (removed lines facing added lines). */
type Piece =
  { kept: true; oldPos: number; newPos: number; length: number } | { kept: false; removed: LineAt[]; added: LineAt[] };

/** Splits a diff value into its lines, each with its line break. */
function splitLines(value: string, start: number): LineAt[] {
  const lines: LineAt[] = [];
  let at = 0;
  while (at < value.length) {
    const end = value.indexOf('\n', at);
    const next = end < 0 ? value.length : end + 1;
    lines.push({ text: value.slice(at, next), pos: start + at });
    at = next;
  }
  return lines;
}

/**
 * The runs of `newMid`, from a line diff against `oldMid` (which starts at old offset `base`): kept lines keep
 * their origins, moved lines (findMoves) take the origins of the lines they came from, and what is left of each
 * changed block is refined by tokens. Undefined if the line diff timed out or its result does not add up.
 */
function diffMiddle(
  oldMid: string,
  newMid: string,
  old: OldRuns,
  base: number,
  deadline: number,
  addedOrigin: Origin,
): ReanchorResult | undefined {
  const remaining = (): number => Math.max(1, deadline - Date.now());
  const changes = diffLines(oldMid, newMid, { timeout: remaining() });
  if (!changes) return undefined;
  const pieces: Piece[] = [];
  let oldPos = 0;
  let newPos = 0;
  let block: Extract<Piece, { kept: false }> | undefined;
  for (const change of changes) {
    if (change.removed || change.added) {
      if (!block) pieces.push((block = { kept: false, removed: [], added: [] }));
      if (change.removed) {
        if (!oldMid.startsWith(change.value, oldPos)) return undefined;
        block.removed.push(...splitLines(change.value, oldPos));
        oldPos += change.value.length;
      } else {
        if (!newMid.startsWith(change.value, newPos)) return undefined;
        block.added.push(...splitLines(change.value, newPos));
        newPos += change.value.length;
      }
      continue;
    }
    block = undefined;
    if (!oldMid.startsWith(change.value, oldPos) || !newMid.startsWith(change.value, newPos)) return undefined;
    pieces.push({ kept: true, oldPos, newPos, length: change.value.length });
    oldPos += change.value.length;
    newPos += change.value.length;
  }
  if (oldPos !== oldMid.length || newPos !== newMid.length) return undefined;

  const moved = findMoves(dissolveTrivialAnchors(pieces, oldMid));
  const out = new RunBuilder();
  let complete = true;
  for (const piece of moved.pieces) {
    if (piece.kept) {
      old.copy(base + piece.oldPos, piece.length, out);
      continue;
    }
    // What no move explains is diffed by tokens against the removed lines no move took.
    const left = piece.removed.filter(l => !moved.taken.has(l));
    const rest = piece.added.filter(l => !moved.from.has(l));
    const removed = left.map(l => l.text).join('');
    const added = rest.map(l => l.text).join('');
    const tokenRuns = new RunBuilder();
    if (removed.length > 0 && added.length > 0) {
      const tokens = diffWordsWithSpace(removed, added, { timeout: remaining() });
      if (!tokens || !emitTokens(tokens, removed, added, left, old, base, tokenRuns, addedOrigin)) {
        complete = false;
        tokenRuns.runs.length = 0;
        tokenRuns.length = 0;
        tokenRuns.add(added.length, UNKNOWN);
      }
    } else {
      tokenRuns.add(added.length, addedOrigin);
    }
    const rested = new OldRuns(tokenRuns.runs);
    let restPos = 0;
    for (const line of piece.added) {
      const source = moved.from.get(line);
      if (source !== undefined) old.copy(base + source.pos, line.text.length, out);
      else {
        rested.copy(restPos, line.text.length, out);
        restPos += line.text.length;
      }
    }
  }
  if (out.length !== newMid.length) return undefined;
  return { runs: out.runs, complete };
}

/** How many characters `a` and `b` share at their start (at most `max`). */
function sharedHead(a: string, b: string, max = Math.min(a.length, b.length)): number {
  let n = 0;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** How many characters `a` and `b` share at their end (at most `max`). */
function sharedTail(a: string, b: string, max: number): number {
  let n = 0;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/** Spaces and tabs only (no line break). */
function isBlank(text: string): boolean {
  return /^[ \t]+$/.test(text);
}

/**
 * A line diff anchors on whatever lines match, and braces and blank lines match everywhere: the closing brace of
 * a moved function gets kept as the brace of the function it passed. Kept runs of such lines between two changed
 * blocks are made part of one changed block, where a move can take them with the lines they belong to (and the
 * token diff keeps them when no move does).
 */
function dissolveTrivialAnchors(pieces: readonly Piece[], oldMid: string): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const previous = out[out.length - 1];
    const next = pieces[i + 1];
    if (piece.kept && previous && !previous.kept && next && !next.kept) {
      const text = oldMid.slice(piece.oldPos, piece.oldPos + piece.length);
      if (weight(text) === 0) {
        previous.removed.push(...splitLines(text, piece.oldPos), ...next.removed);
        previous.added.push(...splitLines(text, piece.newPos), ...next.added);
        i++;
        continue;
      }
    }
    out.push(piece.kept ? piece : { kept: false, removed: [...piece.removed], added: [...piece.added] });
  }
  return out;
}

/** Letters and digits in a line: what makes a line say something (a lone brace or a blank line does not). */
function weight(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127) n++;
  }
  return n;
}

/** Letters and digits a block of moved lines needs before it counts as moved: a lone `return x;` does not. */
const MIN_MOVE_WEIGHT = 12;
/** Removed lines tried as the start of a move, per added line (bounds the work on files full of equal lines). */
const MAX_MOVE_CANDIDATES = 32;

/**
 * Lines moved or reordered: runs of consecutive added lines equal to runs of consecutive removed lines elsewhere
 * in the diff (another block, or the same one), each removed line used once, longest run first from each added
 * line. A run counts when it says enough (MIN_MOVE_WEIGHT); blank lines and braces at its edges go with it.
 * Returns each moved added line's source line, and the removed lines taken.
 */
function findMoves(pieces: Piece[]): { pieces: Piece[]; from: Map<LineAt, LineAt>; taken: Set<LineAt> } {
  const from = new Map<LineAt, LineAt>();
  const taken = new Set<LineAt>();
  const removed: LineAt[] = [];
  const added: LineAt[] = [];
  for (const p of pieces) {
    if (p.kept) continue;
    removed.push(...p.removed);
    added.push(...p.added);
  }
  if (removed.length === 0 || added.length === 0) return { pieces, from, taken };
  const byText = new Map<string, number[]>();
  removed.forEach((line, i) => {
    if (weight(line.text) === 0) return;
    const list = byText.get(line.text);
    if (list) list.push(i);
    else byText.set(line.text, [i]);
  });
  const follows = (lines: LineAt[], i: number): boolean =>
    i > 0 && lines[i - 1]!.pos + lines[i - 1]!.text.length === lines[i]!.pos;
  const free = (a: number, r: number): boolean =>
    a >= 0 &&
    r >= 0 &&
    a < added.length &&
    r < removed.length &&
    !from.has(added[a]!) &&
    !taken.has(removed[r]!) &&
    added[a]!.text === removed[r]!.text;

  for (let a = 0; a < added.length; a++) {
    if (from.has(added[a]!)) continue;
    let best = -1;
    let bestLength = 0;
    for (const r of (byText.get(added[a]!.text) ?? []).slice(0, MAX_MOVE_CANDIDATES)) {
      if (taken.has(removed[r]!)) continue;
      let k = 1;
      while (free(a + k, r + k) && follows(added, a + k) && follows(removed, r + k)) k++;
      if (k > bestLength) {
        best = r;
        bestLength = k;
      }
    }
    if (best < 0) continue;
    // Blank lines and braces just before the run go with it.
    let start = 0;
    while (free(a + start - 1, best + start - 1) && follows(added, a + start) && follows(removed, best + start))
      start--;
    let w = 0;
    for (let k = start; k < bestLength; k++) w += weight(added[a + k]!.text);
    if (w < MIN_MOVE_WEIGHT) continue;
    for (let k = start; k < bestLength; k++) {
      from.set(added[a + k]!, removed[best + k]!);
      taken.add(removed[best + k]!);
    }
    a += bestLength - 1;
  }
  return { pieces, from, taken };
}

/**
 * Emits the runs of one token-diffed block, whose removed text is the lines `left` put end to end; false (having
 * emitted nothing) if the diff does not add up.
 */
function emitTokens(
  changes: Change[],
  removed: string,
  added: string,
  left: readonly LineAt[],
  old: OldRuns,
  base: number,
  out: RunBuilder,
  addedOrigin: Origin,
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
  // Offsets in `removed` back to offsets in the old text, line by line.
  const copyRemoved = (offset: number, length: number): void => {
    let at = 0;
    for (const line of left) {
      const end = at + line.text.length;
      if (end > offset && at < offset + length) {
        const from = Math.max(offset, at);
        const to = Math.min(offset + length, end);
        old.copy(base + line.pos + (from - at), to - from, out);
      }
      at = end;
      if (at >= offset + length) break;
    }
  };
  o = 0;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (c.removed) o += c.value.length;
    else if (c.added) {
      // A token replaced by another (a word renamed, indentation changed): the characters they share at either
      // end keep their origin, as a character diff would keep them. Indentation grows at the start of a line, so
      // a run of spaces matches from its end first.
      const before = changes[i - 1];
      const was = before?.removed ? before.value : '';
      const blank = isBlank(was) && isBlank(c.value);
      let head = blank ? 0 : sharedHead(was, c.value);
      const tail = sharedTail(was, c.value, Math.min(was.length, c.value.length) - head);
      if (blank) head = sharedHead(was, c.value, Math.min(was.length, c.value.length) - tail);
      copyRemoved(o - was.length, head);
      out.add(c.value.length - head - tail, addedOrigin);
      copyRemoved(o - tail, tail);
    } else {
      copyRemoved(o, c.value.length);
      o += c.value.length;
    }
  }
  return true;
}
