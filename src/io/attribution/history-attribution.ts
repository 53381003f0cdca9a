import { AgentTraceFormatError, parseAgentTrace, type NoteLine } from '../../core/formats/git-note';
import { classifyLines, isWhitespace } from '../../core/attribution/lines';
import { UNKNOWN, type AiOrigin, type Origin, type Run } from '../../core/attribution/origin';
import { reanchor } from '../../core/attribution/reanchor';
import type { Logger } from '../../core/log';
import { PRODUCT } from '../../core/product';
import { AI_ATTRIBUTION, FAILED_ATTRIBUTION, parseAiAttribution } from '../../core/formats/trailers';
import { git, runGit } from '../git/git';
import { TRAILER_READING } from '../git/queries';
import { readNotes } from '../git/notes';
import { isBinary, readBlobs } from '../git/staged';

/**
 * AI lines that earlier commits recorded, carried onto a commit made from them (docs/commits.md, "Commits made
 * from other commits"): a cherry-pick or rebase step from the commit it replays, `merge --squash` from the commits
 * it squashes, a merge from the commits on either side. Each earlier commit's note says which of its lines an AI
 * wrote. Along a chain of earlier commits (oldest first) the file's text is followed version by version: what a
 * version keeps from the one before keeps its origin (re-anchoring), and the lines its note lists take the note's
 * class, so a line a person rewrote later reads as they left it. The last version is re-anchored onto the staged
 * text, and the AI text found there is laid over what the store knows: it can only add AI text, never remove any.
 *
 * An earlier commit whose trailer says it has AI lines but whose note is not here (notes travel only when pushed
 * and fetched) cannot be placed: the files it touched are counted as skipped, which makes `check` ask a senior.
 */
export interface History {
  /** Earlier commits with notes, in chains followed oldest first (one chain per side of a merge). */
  readonly chains: readonly (readonly string[])[];
  /** Per earlier commit with a readable note: per path, the note's AI lines. */
  readonly notes: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<number, NoteLine>>>;
  /** Paths touched by earlier commits that claim AI lines but whose line-level record is missing or unreadable. */
  readonly unplaced: ReadonlySet<string>;
  /**
   * Paths the notes of a replayed or squashed commit list AI lines for: each must be among the staged files (under
   * its name or the one a rename came from), or its AI lines went somewhere this cannot follow and count as skipped.
   */
  readonly expected: ReadonlySet<string>;
}

export const NO_HISTORY: History = { chains: [], notes: new Map(), unplaced: new Set(), expected: new Set() };

/** Reads the notes (and, where a note is missing, the trailers) of the chains' commits (each oldest first). */
export async function loadHistory(
  root: string,
  chains: readonly (readonly string[])[],
  logger: Logger,
  options: { expectAll?: boolean } = {},
): Promise<History> {
  const commits = [...new Set(chains.flat())];
  if (commits.length === 0) return NO_HISTORY;
  const texts = await readNotes(root, commits);
  const notes = new Map<string, Map<string, Map<number, NoteLine>>>();
  const missing: string[] = [];
  for (const commit of commits) {
    const text = texts.get(commit);
    if (text === undefined) {
      missing.push(commit);
      continue;
    }
    try {
      const files = new Map<string, Map<number, NoteLine>>();
      for (const [file, lines] of parseAgentTrace(text)) {
        const ai = new Map([...lines].filter(([, l]) => l.cls === 'a' || l.cls === 'm'));
        if (ai.size > 0) files.set(file, ai);
      }
      if (files.size > 0) notes.set(commit, files);
    } catch (error) {
      if (!(error instanceof AgentTraceFormatError)) throw error;
      logger.warn(`the note on ${commit.slice(0, 12)} cannot be read (${error.message}); its files count as skipped`);
      missing.push(commit);
    }
  }
  const unplaced = new Set<string>();
  for (const commit of await claimsAi(root, missing, logger)) {
    for (const file of await touchedFiles(root, commit, logger)) unplaced.add(file);
  }
  const expected = new Set(options.expectAll ? [...notes.values()].flatMap(files => [...files.keys()]) : []);
  return {
    chains: chains.map(chain => chain.filter(c => notes.has(c))).filter(c => c.length > 0),
    notes,
    unplaced,
    expected,
  };
}

/** Which of `commits` say in their AI-Attribution trailer that they have AI lines (or that their hook failed). */
async function claimsAi(root: string, commits: readonly string[], logger: Logger): Promise<string[]> {
  if (commits.length === 0) return [];
  const out = await git(
    [
      ...TRAILER_READING,
      'log',
      '--stdin',
      '--no-walk=unsorted',
      '--no-show-signature',
      `--format=%H%x00%(trailers:key=${AI_ATTRIBUTION},valueonly,separator=%x00)`,
    ],
    { cwd: root, input: `${commits.join('\n')}\n`, logger },
  );
  const result: string[] = [];
  for (const line of out.split('\n')) {
    const [id, ...values] = line.split('\0').filter(Boolean);
    if (!id || values.length === 0) continue;
    const claims = values.some(value => {
      if (value.trim() === FAILED_ATTRIBUTION) return true;
      try {
        const a = parseAiAttribution(value);
        return a.ai + a.mixed > 0 || (a.skipped ?? 0) > 0;
      } catch {
        return true;
      }
    });
    if (claims) {
      logger.warn(`${id.slice(0, 12)} has AI lines but no line-level note here; its files count as skipped`);
      result.push(id);
    }
  }
  return result;
}

async function touchedFiles(root: string, commit: string, logger: Logger): Promise<string[]> {
  const out = await git(
    [
      'diff-tree',
      '-r',
      '--root',
      '--no-commit-id',
      '--name-only',
      '-z',
      '--no-renames',
      '-m',
      '--first-parent',
      commit,
    ],
    { cwd: root, logger },
  );
  return out.split('\0').filter(Boolean);
}

/**
 * The earlier commits of a merge: per parent, the commits since the merge base that have a note (only they can say
 * where AI lines are; the others' lines are judged in their own commits), oldest first.
 */
export async function mergeChains(root: string, parents: readonly string[], logger: Logger): Promise<string[][]> {
  const listed = await runGit(['notes', '--ref', PRODUCT.notesRef, 'list'], { cwd: root, okExitCodes: [0, 1] });
  const noted = new Set(
    listed.stdout
      .split('\n')
      .map(line => line.split(' ')[1])
      .filter((id): id is string => id !== undefined && id !== ''),
  );
  if (noted.size === 0) return [];
  const found = await runGit(['merge-base', '--all', ...parents], { cwd: root, logger, okExitCodes: [0, 1] });
  const bases = found.exitCode === 0 ? found.stdout.split('\n').filter(Boolean) : [];
  return Promise.all(
    parents.map(async parent => {
      const out = await git(['rev-list', '--topo-order', '--reverse', parent, '--not', ...bases, '--'], {
        cwd: root,
        logger,
      });
      return out.split('\n').filter(id => noted.has(id));
    }),
  );
}

/** The AI origin that stands for a note's line: one per commit, tool, kind and model, stable across calls. */
function originFor(commit: string, line: NoteLine, cache: Map<string, AiOrigin>): AiOrigin {
  const tool = line.tool ?? 'ai';
  const kind = line.kind ?? 'agent';
  const key = `${commit}\0${tool}\0${kind}\0${line.model ?? ''}`;
  let origin = cache.get(key);
  if (!origin) {
    origin = {
      id: `note:${key.replace(/\0/g, ':')}`,
      tool,
      kind,
      at: '',
      ...(line.model !== undefined ? { model: line.model } : {}),
    };
    cache.set(key, origin);
  }
  return origin;
}

/**
 * Runs for a file's text from its note's lines. An `a` line is AI throughout; an `m` line is AI but for its last
 * non-blank character, so that it reads back as mixed.
 */
export function runsFromNote(
  text: string,
  lines: ReadonlyMap<number, NoteLine>,
  origin: (l: NoteLine) => AiOrigin,
): Run[] {
  const runs: Run[] = [];
  const push = (length: number, o: Origin): void => pushRun(runs, length, o);
  let start = 0;
  let number = 1;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    const line = lines.get(number);
    if (!line || (line.cls !== 'a' && line.cls !== 'm')) push(end - start, UNKNOWN);
    else {
      const ai = origin(line);
      let human = -1;
      if (line.cls === 'm') {
        for (let i = end - 1; i >= start; i--) {
          if (!isWhitespace(text.charCodeAt(i))) {
            human = i;
            break;
          }
        }
        let nonBlank = 0;
        for (let i = start; i < end && nonBlank < 2; i++) if (!isWhitespace(text.charCodeAt(i))) nonBlank++;
        if (nonBlank < 2) human = -1;
      }
      if (human < 0) push(end - start, ai);
      else {
        push(human - start, ai);
        push(1, UNKNOWN);
        push(end - human - 1, ai);
      }
    }
    start = end;
    number++;
  }
  return runs;
}

/**
 * `extra`'s AI lines laid over `base` (both cover `text`), line by line: a line with AI text in `base` stays as
 * `base` has it, any other line with AI text in `extra` takes `extra`'s. Whole lines, not characters: two records
 * of one mixed line (the person's word in one, the AI's in the other) must not add up to an all-AI line.
 */
export function overlayAi(base: readonly Run[] | undefined, extra: readonly Run[], text: string): Run[] {
  const under = base ?? [{ length: text.length, origin: UNKNOWN }];
  // AI lines as the line classes count them (docs/attribution.md): a line's line break or indentation kept from
  // an AI line does not make a line of new words an AI line.
  const aiLine = (classes: string, i: number): boolean => classes[i] === 'a' || classes[i] === 'm';
  const mineClasses = classifyLines(text, under).classes;
  const theirClasses = classifyLines(text, extra).classes;
  const out: Run[] = [];
  const baseAt = new RunCursor(under);
  const extraAt = new RunCursor(extra);
  let start = 0;
  for (let line = 0; start < text.length; line++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    const mine = baseAt.slice(start, end);
    const theirs = extraAt.slice(start, end);
    const pick = !aiLine(mineClasses, line) && aiLine(theirClasses, line) ? theirs : mine;
    for (const r of pick) pushRun(out, r.length, r.origin);
    start = end;
  }
  return out;
}

/**
 * The staged text's runs with the AI text the history carries onto it. `paths` are the names the file has in the
 * earlier commits (its path, and where a rename came from). Undefined when the history has nothing for the file.
 */
export async function carryHistory(
  root: string,
  history: History,
  paths: readonly string[],
  text: string,
  runs: readonly Run[] | undefined,
  logger: Logger,
): Promise<Run[] | undefined> {
  const noteFor = (commit: string): { path: string; lines: ReadonlyMap<number, NoteLine> } | undefined => {
    const files = history.notes.get(commit);
    for (const p of paths) {
      const lines = files?.get(p);
      if (lines && !p.includes('\n')) return { path: p, lines };
    }
    return undefined;
  };
  const chains = history.chains
    .map(chain =>
      chain.flatMap(commit => {
        const note = noteFor(commit);
        return note ? [{ commit, ...note }] : [];
      }),
    )
    .filter(chain => chain.length > 0);
  if (chains.length === 0) return undefined;
  const blobs = await readBlobs(
    root,
    chains.flat().map(w => `${w.commit}:${w.path}`),
    { logger },
  );
  const cache = new Map<string, AiOrigin>();
  let result: Run[] | undefined = runs ? [...runs] : undefined;
  for (const chain of chains) {
    let version: { text: string; runs: Run[] } | undefined;
    for (const step of chain) {
      const blob = blobs.get(`${step.commit}:${step.path}`);
      if (!blob || isBinary(blob)) continue;
      const next = blob.toString('utf8');
      const kept: Run[] = version
        ? reanchor(version.text, version.runs, next).runs
        : [{ length: next.length, origin: UNKNOWN }];
      const listed = runsFromNote(next, step.lines, l => originFor(step.commit, l, cache));
      version = { text: next, runs: overlayLines(next, kept, listed, step.lines) };
    }
    if (!version) continue;
    result = overlayAi(result, reanchor(version.text, version.runs, text).runs, text);
  }
  return result;
}

/** `kept` with the lines a note lists replaced by `listed`'s (both cover `text`). */
function overlayLines(
  text: string,
  kept: readonly Run[],
  listed: readonly Run[],
  lines: ReadonlyMap<number, NoteLine>,
): Run[] {
  // Per line: which run array to take it from.
  const out: Run[] = [];
  const keptAt = new RunCursor(kept);
  const listedAt = new RunCursor(listed);
  let start = 0;
  let number = 1;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    const from = lines.has(number) ? listedAt : keptAt;
    for (const r of from.slice(start, end)) pushRun(out, r.length, r.origin);
    start = end;
    number++;
  }
  return out;
}

function pushRun(out: Run[], length: number, origin: Origin): void {
  if (length <= 0) return;
  const last = out[out.length - 1];
  if (last && last.origin === origin) out[out.length - 1] = { length: last.length + length, origin };
  else out.push({ length, origin });
}

/** Reads the runs of `[start, end)` of a run array; calls come in increasing order. */
class RunCursor {
  private index = 0;
  private runStart = 0;

  constructor(private readonly runs: readonly Run[]) {}

  slice(start: number, end: number): Run[] {
    const out: Run[] = [];
    while (this.index < this.runs.length && this.runStart + this.runs[this.index]!.length <= start) {
      this.runStart += this.runs[this.index]!.length;
      this.index++;
    }
    let i = this.index;
    let at = this.runStart;
    while (i < this.runs.length && at < end) {
      const run = this.runs[i]!;
      const from = Math.max(start, at);
      const to = Math.min(end, at + run.length);
      if (to > from) out.push({ length: to - from, origin: run.origin });
      at += run.length;
      i++;
    }
    return out;
  }
}
