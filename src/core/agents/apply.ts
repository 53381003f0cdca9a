import type { FileEdit, Replacement } from './call';
import { UNKNOWN, sameOrigin, type AiOrigin, type Origin, type Run } from '../attribution/origin';
import { reanchor } from '../attribution/reanchor';
import { RunList } from '../attribution/runs';

/**
 * What an agent's tool call did to one file's attribution (docs/attribution.md and docs/capture.md). Pure functions over a
 * text and its runs; the engine decides which text is the base and commits the result.
 *
 * Exact where the payload says what changed: a replacement is located in the text (old_string, a patch hunk,
 * a SEARCH block) and only its delta is the agent's: inside the replaced range the old and new strings are
 * diffed, so context lines an agent repeats to make its match unique keep their origin. A whole-file write is
 * diffed against the text before (kept text keeps its origin, new text is the agent's). When the payload does
 * not say (a notebook edit, a shell command) the delta is a diff of before and after.
 */

export interface Attributed {
  text: string;
  runs: Run[];
}

export type Outcome = { ok: true; value: Attributed } | { ok: false; reason: string };

const ok = (value: Attributed): Outcome => ({ ok: true, value });
const fail = (reason: string): Outcome => ({ ok: false, reason });

/** Stands for "unknown and kept" while re-anchoring, so kept unknown text is not taken for new text. */
const KEPT_UNKNOWN: AiOrigin = Object.freeze({
  id: '\u0000ai-provenance-kept-unknown',
  tool: 'ai',
  kind: 'manual',
  at: '',
});
/** Stands for "new text" in a diff whose new text is decided afterwards. */
const NEW_TEXT: AiOrigin = Object.freeze({ id: '\u0000ai-provenance-new-text', tool: 'ai', kind: 'manual', at: '' });

export function mergeRuns(runs: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (r.length <= 0) continue;
    const last = out[out.length - 1];
    if (last && sameOrigin(last.origin, r.origin))
      out[out.length - 1] = { length: last.length + r.length, origin: last.origin };
    else out.push({ length: r.length, origin: r.origin });
  }
  return out;
}

export function uniform(length: number, origin: Origin): Run[] {
  return length > 0 ? [{ length, origin }] : [];
}

/**
 * The runs of `newText` when it replaces `old`: text the diff keeps keeps its origin, new text gets `origin`.
 * Uses the re-anchoring diff (lines, then tokens) with its time budget; whatever it cannot map is new text.
 */
export function diffAttribute(old: Attributed, newText: string, origin: Origin, timeoutMs = 3000): Run[] {
  if (old.text === newText) return old.runs.slice();
  if (old.text.length === 0) return uniform(newText.length, origin);
  if (newText.length === 0) return [];
  const masked = old.runs.map(r => (r.origin === UNKNOWN ? { length: r.length, origin: KEPT_UNKNOWN } : r));
  const { runs } = reanchor(old.text, masked, newText, { timeoutMs });
  return mergeRuns(
    runs.map(r => ({
      length: r.length,
      origin: r.origin === UNKNOWN ? origin : r.origin === KEPT_UNKNOWN ? UNKNOWN : r.origin,
    })),
  );
}

/** The runs of `after` re-anchored from `before`: kept text keeps its origin, the rest is unknown. */
export function reanchorTo(before: Attributed, after: string, timeoutMs = 3000): Run[] {
  if (before.text === after) return before.runs.slice();
  return reanchor(before.text, before.runs, after, { timeoutMs }).runs;
}

/**
 * `current` with its unexplained characters taken from `explained` where that says AI (both cover the same text).
 * Unexplained: unknown text, and text only the editor's chat-session signal named (kind `chat`, best effort:
 * capture.md, signal 3), which an agent hook's record describes exactly. Never changes human text or AI text
 * another signal named: an explanation only names the author of text no exact signal could name before.
 */
export function relabelUnexplained(current: readonly Run[], explained: readonly Run[]): Run[] {
  const out: Run[] = [];
  let j = 0;
  let jStart = 0;
  let pos = 0;
  for (const r of current) {
    const end = pos + r.length;
    if (r.origin !== UNKNOWN && (typeof r.origin === 'string' || r.origin.kind !== 'chat')) {
      out.push(r);
      pos = end;
      continue;
    }
    while (pos < end) {
      while (j < explained.length && jStart + explained[j]!.length <= pos) jStart += explained[j++]!.length;
      const e = explained[j];
      if (!e) {
        out.push({ length: end - pos, origin: r.origin });
        pos = end;
        break;
      }
      const take = Math.min(end, jStart + e.length) - pos;
      out.push({ length: take, origin: typeof e.origin === 'string' ? r.origin : e.origin });
      pos += take;
    }
  }
  return mergeRuns(out);
}

/** 1-based line number of `offset` in `text`. */
function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function occurrences(text: string, needle: string, from = 0, limit = 1000): number[] {
  const found: number[] = [];
  if (needle === '') return found;
  for (
    let i = text.indexOf(needle, from);
    i !== -1 && found.length < limit;
    i = text.indexOf(needle, i + needle.length)
  )
    found.push(i);
  return found;
}

function nearestToLine(text: string, positions: number[], line: number): number {
  let best = positions[0]!;
  let bestDistance = Infinity;
  for (const p of positions) {
    const d = Math.abs(lineOf(text, p) - line);
    if (d < bestDistance) {
      best = p;
      bestDistance = d;
    }
  }
  return best;
}

/** Where the search for `r` starts: after its anchor line, when the anchor is found at or after `cursor`. */
function anchored(text: string, r: Replacement, cursor: number): number {
  if (r.anchor === undefined) return cursor;
  const anchor = r.anchor.trim();
  let lineStart = cursor === 0 ? 0 : text.lastIndexOf('\n', cursor - 1) + 1;
  while (lineStart < text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const end = lineEnd === -1 ? text.length : lineEnd;
    if (text.slice(lineStart, end).trim() === anchor) return end === text.length ? end : end + 1;
    if (lineEnd === -1) break;
    lineStart = lineEnd + 1;
  }
  return cursor;
}

interface Located {
  pos: number;
  old: string;
  new: string;
}

/** Finds one replacement in `text`. */
function locate(text: string, r: Replacement, cursor: number, ordered: boolean): Located | undefined {
  if (r.old === '') return text === '' ? { pos: 0, old: '', new: r.new } : undefined;
  const candidates: [string, string][] = [[r.old, r.new]];
  // A hunk that ends the file may match a last line that has no line break.
  if (r.old.endsWith('\n')) candidates.push([r.old.slice(0, -1), r.new.endsWith('\n') ? r.new.slice(0, -1) : r.new]);
  for (const [oldText, newText] of candidates) {
    if (oldText === '') continue;
    if (r.atEnd) {
      const pos = text.length - oldText.length;
      if (pos >= 0 && text.endsWith(oldText)) return { pos, old: oldText, new: newText };
      continue;
    }
    const start = ordered ? anchored(text, r, cursor) : anchored(text, r, 0);
    let found = occurrences(text, oldText, start);
    if (found.length === 0 && start > 0) found = occurrences(text, oldText, 0);
    if (found.length === 0) continue;
    const pos = r.line !== undefined && found.length > 1 ? nearestToLine(text, found, r.line) : found[0]!;
    return { pos, old: oldText, new: newText };
  }
  return undefined;
}

/**
 * The edit with its line breaks written as the file writes them: agents send `\n` in old and new strings even
 * for a file with CRLF line ends (and write it back with CRLF). Unchanged when the file has no CRLF or the
 * edit's strings already carry `\r`.
 */
export function matchLineEnds(edit: FileEdit, sample: string | undefined): FileEdit {
  if (sample === undefined || !sample.includes('\r\n')) return edit;
  const crlf = (t: string): string => t.replace(/\r?\n/g, '\r\n');
  if (edit.op === 'write') return edit.content.includes('\r') ? edit : { ...edit, content: crlf(edit.content) };
  if (edit.op !== 'replace' || edit.replacements.some(r => r.old.includes('\r') || r.new.includes('\r'))) return edit;
  return { ...edit, replacements: edit.replacements.map(r => ({ ...r, old: crlf(r.old), new: crlf(r.new) })) };
}

/**
 * Applies `edit` to `base`: the text after the tool call and its runs, the agent's delta carrying `origin`.
 * Fails (with the reason) when the payload's replacements are not in the text, or the payload does not say what
 * the new text is (`unknown`, `delete`).
 */
export function forwardEdit(base: Attributed, edit: FileEdit, origin: Origin): Outcome {
  switch (edit.op) {
    case 'write':
      return ok({ text: edit.content, runs: diffAttribute(base, edit.content, origin) });
    case 'delete':
      return fail('the tool deleted the file');
    case 'unknown':
      return fail('the payload does not say what the tool wrote');
    case 'replace': {
      let text = base.text;
      const list = new RunList(base.runs);
      let cursor = 0;
      for (let i = 0; i < edit.replacements.length; i++) {
        const r = edit.replacements[i]!;
        const apply = (at: Located): void => {
          const oldRuns = list.slice(at.pos, at.old.length);
          list.replace(at.pos, at.old.length, diffAttribute({ text: at.old, runs: oldRuns }, at.new, origin));
          text = text.slice(0, at.pos) + at.new + text.slice(at.pos + at.old.length);
          cursor = at.pos + at.new.length;
        };
        if (r.all && r.old !== '') {
          const found = occurrences(text, r.old, 0, Number.MAX_SAFE_INTEGER);
          if (found.length === 0) return fail(`replacement ${i + 1}: its old text is not in the file`);
          for (let k = found.length - 1; k >= 0; k--) apply({ pos: found[k]!, old: r.old, new: r.new });
          cursor = found[found.length - 1]! + (found.length - 1) * (r.new.length - r.old.length) + r.new.length;
          continue;
        }
        const at = locate(text, r, cursor, edit.ordered === true);
        if (!at) return fail(`replacement ${i + 1}: its old text is not in the file`);
        apply(at);
      }
      return ok({ text, runs: mergeRuns(list.toArray()) });
    }
  }
}

/**
 * The text before `edit`, worked back from the text after it, when that is unambiguous: each replacement's new
 * text found exactly once (or nearest its line), and applying the edit again gives `after` back. Undefined
 * otherwise: a guessed before text could make someone else's text the agent's.
 */
export function reverseEdit(after: string, edit: FileEdit): string | undefined {
  if (edit.op !== 'replace') return undefined;
  let text = after;
  for (let i = edit.replacements.length - 1; i >= 0; i--) {
    const r = edit.replacements[i]!;
    if (r.new === '') return undefined;
    const found = occurrences(text, r.new, 0, r.all ? Number.MAX_SAFE_INTEGER : 1000);
    if (found.length === 0) return undefined;
    if (r.all) {
      text = text.split(r.new).join(r.old);
      continue;
    }
    let pos: number;
    if (found.length === 1) pos = found[0]!;
    else if (r.line !== undefined) pos = nearestToLine(text, found, r.line);
    else return undefined;
    text = text.slice(0, pos) + r.old + text.slice(pos + r.new.length);
  }
  const check = forwardEdit({ text, runs: uniform(text.length, UNKNOWN) }, edit, UNKNOWN);
  return check.ok && check.value.text === after ? text : undefined;
}

/** Marks, in `after`, every occurrence of a replacement's new text with `origin` and the rest `fallback`. */
function markNewStrings(after: string, edit: FileEdit, origin: Origin, fallback: Origin): Run[] {
  const marks = new Uint8Array(after.length);
  if (edit.op === 'replace') {
    for (const r of edit.replacements)
      for (const p of occurrences(after, r.new, 0, Number.MAX_SAFE_INTEGER)) marks.fill(1, p, p + r.new.length);
  }
  const runs: Run[] = [];
  for (let i = 0; i < after.length;) {
    let j = i + 1;
    while (j < after.length && marks[j] === marks[i]) j++;
    runs.push({ length: j - i, origin: marks[i] ? origin : fallback });
    i = j;
  }
  return mergeRuns(runs);
}

/**
 * Which characters of `after` the edit wrote, as runs over `after` (`origin` where the agent wrote, unknown
 * elsewhere), for text that already arrived some other way (a disk event, an editor reload) and is unknown.
 * Tries each candidate before text (the text before a disk event, a pre-tool snapshot), then the edit worked
 * backwards, then the payload's own words: a write's content is all the agent's; a replacement's new text is
 * the agent's where it occurs.
 */
export function explainRuns(
  after: string,
  edit: FileEdit,
  origin: Origin,
  candidates: readonly (string | undefined)[],
): Run[] {
  const tries = [...candidates];
  const reversed = reverseEdit(after, edit);
  if (reversed !== undefined) tries.push(reversed);
  for (const before of tries) {
    if (before === undefined) continue;
    const r = forwardEdit({ text: before, runs: uniform(before.length, UNKNOWN) }, edit, origin);
    if (r.ok && r.value.text === after) return r.value.runs;
  }
  if (edit.op === 'write' || edit.op === 'unknown') {
    // A whole-file write or a shell command: what differs from the text before is the agent's, the rest stays
    // unknown. A write's whole text when no text before is known at all (a new file); a shell command that changed
    // a file whose text before is not known says nothing of who wrote it.
    const before = candidates.find((c): c is string => c !== undefined && c !== after);
    if (before !== undefined)
      return diffAttribute({ text: before, runs: uniform(before.length, UNKNOWN) }, after, origin);
    return edit.op === 'unknown' || candidates.some(c => c === after)
      ? uniform(after.length, UNKNOWN)
      : uniform(after.length, origin);
  }
  return markNewStrings(after, edit, origin, UNKNOWN);
}

/**
 * The text and runs of a file after the agent's edit.
 * - `base`: the file's attribution just before the tool ran (undefined: not known; a text of "" for a file that
 *   did not exist).
 * - `after`: the file's text right after, when the hook read it (a replay trace does not have it).
 * Exact first (the payload's replacements applied to base); when they do not reproduce `after`, the before text
 * worked back from `after` (what changed in between is unknown); then the edit's effect re-anchored onto
 * `after`; last, a diff of base and `after` whose new text is the agent's (for a replacement only where its new
 * text occurs, unless `bracketed`). Fails when there is no `after` and the payload's edit does not apply.
 * - `bracketed`: base and `after` are the hook's own snapshots just before and just after this tool call, so
 *   their difference is the tool's doing even where the payload's replacement is not what it wrote (Claude Code
 *   matching curly quotes with straight ones and writing its new text with curly ones, Gemini re-indenting).
 */
export function applyAgentEdit(
  base: Attributed | undefined,
  edit: FileEdit,
  origin: Origin,
  after: string | undefined,
  bracketed = false,
): Outcome {
  if (edit.op === 'delete') return fail('the tool deleted the file');
  const start = base ?? (edit.op === 'write' ? { text: '', runs: [] } : undefined);
  const forward = start ? forwardEdit(start, edit, origin) : fail("the file's text before the tool ran is not known");
  if (forward.ok && (after === undefined || forward.value.text === after)) return forward;
  if (after === undefined) return forward;

  const before = reverseEdit(after, edit);
  if (before !== undefined) {
    const runs = base ? reanchorTo(base, before) : uniform(before.length, UNKNOWN);
    const again = forwardEdit({ text: before, runs }, edit, origin);
    if (again.ok && again.value.text === after) return again;
  }
  if (forward.ok) return ok({ text: after, runs: reanchorTo(forward.value, after) });
  if (!base) {
    if (edit.op === 'unknown') return ok({ text: after, runs: uniform(after.length, UNKNOWN) });
    return ok({
      text: after,
      runs: edit.op === 'write' ? uniform(after.length, origin) : markNewStrings(after, edit, origin, UNKNOWN),
    });
  }
  if (edit.op === 'replace') {
    // New text of the diff is the agent's only where it lies in a replacement's new text; the rest is unknown.
    // Bracketed by the hook's own snapshots, the tool may have written its new text a little differently (quotes,
    // indentation): a piece of new text that matches the replacements' new text up to those is the agent's too.
    // Anything else (a person's line typed while the agent waited for approval) stays unknown.
    const diffed = diffAttribute(base, after, NEW_TEXT);
    const marked = new RunList(markNewStrings(after, edit, origin, UNKNOWN));
    const written = bracketed ? edit.replacements.map(r => loose(r.new)).join('\n') : '';
    const runs: Run[] = [];
    let pos = 0;
    for (const r of diffed) {
      if (r.origin !== NEW_TEXT) runs.push(r);
      else {
        const piece = loose(after.slice(pos, pos + r.length));
        if (bracketed && (piece === '' || written.includes(piece))) runs.push({ length: r.length, origin });
        else runs.push(...marked.slice(pos, r.length));
      }
      pos += r.length;
    }
    return ok({ text: after, runs: mergeRuns(runs) });
  }
  return ok({ text: after, runs: diffAttribute(base, after, origin) });
}

/** Text as an agent's fuzzy match sees it: no whitespace, quotes straightened. */
function loose(text: string): string {
  return text
    .replace(/\s+/g, '')
    .replace(/[\u2018\u2019\u201a\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f]/g, '"');
}
