import { diffLines } from 'diff';
import { classifyLines, type LineClass } from '../attribution/lines';
import { UNKNOWN, type AiKind, type AiOrigin, type Run, type Tool } from '../attribution/origin';
import type { AgentModel, Attribution, ToolLines } from '../formats/trailers';

/**
 * What a commit adds, line by line, and who wrote it (docs/commits.md): the staged text of each file with
 * its attribution, diffed against the text it replaces; only added lines count.
 */

export interface StagedText {
  /** Repository path in the commit. */
  path: string;
  /** The text before (empty for a new file). */
  oldText: string;
  /** The staged text. */
  newText: string;
  /** Attribution of newText; absent when nothing is known about the file (its added lines are `unknown`). */
  runs?: readonly Run[];
  /** A merge's other parents' texts: only lines new against all of them (and oldText) count. */
  otherParentTexts?: readonly string[];
}

export interface AddedLine {
  /** 1-based line number in the staged text. */
  line: number;
  cls: LineClass;
  /** The AI origin standing for the line, for `a` and `m` lines. */
  origin?: AiOrigin;
}

export interface FileAttribution {
  path: string;
  added: AddedLine[];
}

export interface CommitAttribution {
  files: FileAttribution[];
  attribution: Attribution;
  /** Distinct agents and models behind ai and mixed lines. */
  agents: AgentModel[];
  /** The lines an AI removed (`deleted=`), per file and AI, numbered in the file as the parent had it. */
  removed?: RemovedByAi[];
}

export interface RemovedByAi {
  /** The file's path in the parent. */
  path: string;
  lines: number[];
  tool: Tool;
  kind: AiKind;
  model?: string;
}

function countLines(text: string): number {
  if (text === '') return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

/**
 * 1-based numbers of the lines of `newText` that a line diff from `oldText` marks as added. Lines end at `\n`
 * (as in git); a last line that gains or loses its line break counts as changed, as in git.
 */
export function addedLineNumbers(oldText: string, newText: string): number[] {
  const total = countLines(newText);
  if (oldText === '') return Array.from({ length: total }, (_, i) => i + 1);
  if (oldText === newText) return [];
  const changes = diffLines(oldText, newText);
  const added: number[] = [];
  let line = 1;
  for (const change of changes) {
    const count = change.count ?? countLines(change.value);
    if (change.added) for (let i = 0; i < count; i++) added.push(line + i);
    if (!change.removed) line += count;
  }
  return added;
}

/**
 * The lines of `oldText` that a line diff to `newText` removes, as their text without the line break. Lines of
 * whitespace only are left out: they carry no meaning, and a blank line matches any other blank line.
 */
export function removedLineTexts(oldText: string, newText: string): string[] {
  return removedLines(oldText, newText).map(l => l.text);
}

/** The same lines with their 1-based numbers in `oldText`. */
export function removedLines(oldText: string, newText: string): { line: number; text: string }[] {
  if (oldText === newText || oldText === '') return [];
  const removed: { line: number; text: string }[] = [];
  let line = 1;
  for (const change of newText === ''
    ? [{ removed: true, added: false, value: oldText }]
    : diffLines(oldText, newText)) {
    if (change.added) continue;
    const lines = change.value.split('\n');
    if (change.value.endsWith('\n')) lines.pop();
    if (change.removed) lines.forEach((text, i) => text.trim() !== '' && removed.push({ line: line + i, text }));
    line += lines.length;
  }
  return removed;
}

export function attributeFile(file: StagedText): FileAttribution {
  let numbers = addedLineNumbers(file.oldText, file.newText);
  for (const other of file.otherParentTexts ?? []) {
    if (numbers.length === 0) break;
    const alsoNew = new Set(addedLineNumbers(other, file.newText));
    numbers = numbers.filter(n => alsoNew.has(n));
  }
  if (numbers.length === 0) return { path: file.path, added: [] };
  const runs = file.runs ?? [{ length: file.newText.length, origin: UNKNOWN }];
  const report = classifyLines(file.newText, runs);
  const added = numbers.map(line => {
    const cls = report.classes[line - 1] as LineClass;
    const origin = report.dominant[line - 1];
    return origin && (cls === 'a' || cls === 'm') ? { line, cls, origin } : { line, cls };
  });
  return { path: file.path, added };
}

/** Sums the files into trailer counts and the agents behind them. */
export function summarizeCommit(files: readonly FileAttribution[]): CommitAttribution {
  const attribution: Attribution = { added: 0, ai: 0, mixed: 0, unknown: 0, tools: [] };
  const tools = new Map<string, ToolLines>();
  const agents = new Map<string, AgentModel>();
  for (const file of files) {
    for (const { cls, origin } of file.added) {
      attribution.added++;
      if (cls === 'u') attribution.unknown++;
      if (cls !== 'a' && cls !== 'm') continue;
      if (cls === 'a') attribution.ai++;
      else attribution.mixed++;
      if (!origin) continue;
      const key = `${origin.tool}/${origin.kind}`;
      const entry = tools.get(key) ?? { tool: origin.tool, kind: origin.kind, lines: 0 };
      entry.lines++;
      tools.set(key, entry);
      const agentKey = `${origin.tool}\0${origin.model ?? ''}`;
      if (!agents.has(agentKey))
        agents.set(
          agentKey,
          origin.model === undefined ? { tool: origin.tool } : { tool: origin.tool, model: origin.model },
        );
    }
  }
  attribution.tools = [...tools.values()];
  return { files: files.filter(f => f.added.length > 0), attribution, agents: [...agents.values()] };
}

export function attributeCommit(files: readonly StagedText[]): CommitAttribution {
  return summarizeCommit(files.map(attributeFile));
}
