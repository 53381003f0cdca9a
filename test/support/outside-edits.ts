import {
  HUMAN,
  UNKNOWN,
  isAi,
  sameOrigin,
  type AiOrigin,
  type Origin,
  type Run,
} from '../../src/core/attribution/origin';

/**
 * Random changes made outside the editor (a terminal editor, a formatter, a refactoring tool, git), with an
 * oracle: every character's true origin afterwards. Text that the change brings is `unknown`; text it keeps,
 * moves or reorders keeps the origin it had. The re-anchoring property test and its bench (`reanchor.accuracy`)
 * both draw from here.
 */

const copilot: AiOrigin = { id: 'c', tool: 'copilot', kind: 'inline', at: '2026-11-01T00:00:00.000Z' };
const claude: AiOrigin = { id: 'a', tool: 'claude-code', kind: 'agent', at: '2026-11-01T00:00:00.000Z' };
const ORIGINS: Origin[] = [HUMAN, UNKNOWN, copilot, claude];

type Line = { ch: string; origin: Origin }[];

const WORDS = ['total', 'price', 'items', 'count', 'user', 'order', 'refund', 'amount', 'tax', 'rate', 'cart', 'id'];
const CALLS = ['sum', 'map', 'filter', 'validate', 'charge', 'round', 'parse', 'format', 'log'];

function pick<T>(random: () => number, from: readonly T[]): T {
  return from[Math.floor(random() * from.length)]!;
}

/** One line of plausible code: statements, imports, closing braces and blank lines, as source files have them. */
function codeLine(random: () => number): string {
  const r = random();
  const word = (): string => `${pick(random, WORDS)}${Math.floor(random() * 100)}`;
  if (r < 0.1) return '';
  if (r < 0.2) return '}';
  if (r < 0.3) return `import { ${word()} } from './${pick(random, WORDS)}';`;
  if (r < 0.45) return `export function ${word()}(${word()}: number): number {`;
  if (r < 0.6) return `  return ${pick(random, CALLS)}(${word()}, ${Math.floor(random() * 1000)});`;
  return `  const ${word()} = ${pick(random, CALLS)}(${word()}) + ${word()};`;
}

function newLine(random: () => number, origin: Origin): Line {
  return [...`${codeLine(random)}\n`].map(ch => ({ ch, origin }));
}

/** A file of `lines` lines whose lines, and some parts of lines, come from a person, an unknown source and two AIs. */
export function randomFile(random: () => number, lines: number): Line[] {
  const file: Line[] = [];
  for (let i = 0; i < lines; i++) {
    const line = newLine(random, pick(random, ORIGINS));
    if (random() < 0.15 && line.length > 4) {
      // A mixed line: a person edited a tail of an AI line, or the other way round.
      const from = Math.floor(random() * (line.length - 1));
      const origin = pick(random, ORIGINS);
      for (let c = from; c < line.length - 1; c++) line[c] = { ch: line[c]!.ch, origin };
    }
    file.push(line);
  }
  return file;
}

export type OutsideEdit = 'insert' | 'delete' | 'edit' | 'move' | 'swap' | 'indent';
export const OUTSIDE_EDITS: readonly OutsideEdit[] = ['insert', 'delete', 'edit', 'move', 'swap', 'indent'];

/** Applies one random change of kind `kind` to `file` in place; what it brings is `unknown`. */
export function applyOutsideEdit(random: () => number, file: Line[], kind: OutsideEdit): void {
  const at = (): number => Math.floor(random() * (file.length + 1));
  const some = (max: number): number => 1 + Math.floor(random() * max);
  switch (kind) {
    case 'insert': {
      const lines = Array.from({ length: some(3) }, () => newLine(random, UNKNOWN));
      file.splice(at(), 0, ...lines);
      return;
    }
    case 'delete':
      if (file.length > 1) file.splice(Math.floor(random() * file.length), some(3));
      return;
    case 'edit': {
      // Replace one word of a line (a rename in a terminal editor).
      const line = file[Math.floor(random() * file.length)];
      if (!line) return;
      const text = line.map(c => c.ch).join('');
      const words = [...text.matchAll(/[a-z]+[0-9]+/g)];
      if (words.length === 0) return;
      const w = pick(random, words);
      const replacement = [...`${pick(random, WORDS)}${Math.floor(random() * 100)}`].map(ch => ({
        ch,
        origin: UNKNOWN as Origin,
      }));
      line.splice(w.index, w[0].length, ...replacement);
      return;
    }
    case 'move': {
      // A block of lines cut and pasted elsewhere (a function moved, a refactoring).
      if (file.length < 4) return;
      const count = Math.min(some(8), file.length - 1);
      const from = Math.floor(random() * (file.length - count + 1));
      const block = file.splice(from, count);
      const to = Math.floor(random() * (file.length + 1));
      file.splice(to, 0, ...block);
      return;
    }
    case 'swap': {
      // Two neighbouring lines reordered (sorted imports).
      if (file.length < 2) return;
      const i = Math.floor(random() * (file.length - 1));
      [file[i], file[i + 1]] = [file[i + 1]!, file[i]!];
      return;
    }
    case 'indent': {
      // A formatter indents a block: the spaces are new, the rest of each line keeps its origin.
      const from = Math.floor(random() * file.length);
      for (const line of file.slice(from, from + some(6)))
        line.unshift({ ch: ' ', origin: UNKNOWN }, { ch: ' ', origin: UNKNOWN });
      return;
    }
  }
}

export function fileText(file: readonly Line[]): string {
  return file.map(l => l.map(c => c.ch).join('')).join('');
}

export function fileRuns(file: readonly Line[]): Run[] {
  const runs: { length: number; origin: Origin }[] = [];
  for (const line of file)
    for (const c of line) {
      const last = runs[runs.length - 1];
      if (last && sameOrigin(last.origin, c.origin)) last.length++;
      else runs.push({ length: 1, origin: c.origin });
    }
  return runs;
}

export function cloneFile(file: readonly Line[]): Line[] {
  return file.map(l => l.map(c => ({ ...c })));
}

export interface Score {
  chars: number;
  charsRight: number;
  lines: number;
  linesRight: number;
  /** Characters given an AI origin that the oracle says no AI wrote (the error the gate must never make). */
  aiInvented: number;
  /** Characters an AI wrote that lost their AI origin. */
  aiLost: number;
}

/** Characters and lines whose origin `runs` gives right, against the oracle `file`. */
export function score(file: readonly Line[], runs: readonly Run[]): Score {
  const origins: Origin[] = [];
  for (const r of runs) for (let i = 0; i < r.length; i++) origins.push(r.origin);
  let at = 0;
  const result: Score = { chars: 0, charsRight: 0, lines: file.length, linesRight: 0, aiInvented: 0, aiLost: 0 };
  for (const line of file) {
    let right = true;
    for (const c of line) {
      const got = origins[at++];
      result.chars++;
      if (got !== undefined && sameOrigin(got, c.origin)) {
        result.charsRight++;
        continue;
      }
      right = false;
      if (isAi(c.origin)) result.aiLost++;
      else if (got !== undefined && isAi(got)) result.aiInvented++;
    }
    if (right) result.linesRight++;
  }
  return result;
}
