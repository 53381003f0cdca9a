import { parseAgentTrace, parseRemovedLines } from '../../core/formats/git-note';
import { PRODUCT } from '../../core/product';
import type { AiLineSource, AiPathLines } from '../../core/review/review';
import { git, runGit } from './git';
import { readBlobs } from './staged';
import type { Logger } from '../../core/log';

/** The notes on refs/notes/ai-provenance for the given commits (full ids), read in two git calls. */
export async function readNotes(root: string, commits: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (commits.length === 0) return result;
  const list = await runGit(['notes', '--ref', PRODUCT.notesRef, 'list'], { cwd: root, okExitCodes: [0, 1] });
  const wanted = new Set(commits);
  const blobs = new Map<string, string>();
  for (const line of list.stdout.split('\n')) {
    const [blob, commit] = line.split(' ');
    if (blob && commit && wanted.has(commit)) blobs.set(commit, blob);
  }
  const contents = await readBlobs(root, [...blobs.values()]);
  for (const [commit, blob] of blobs) {
    const content = contents.get(blob);
    if (content) result.set(commit, content.toString('utf8'));
  }
  return result;
}

export interface NotesSyncResult {
  remote: string;
  output: string;
}

/** Pushes our notes ref to a remote (notes travel only when pushed, like everything else). */
export async function pushNotes(root: string, remote: string): Promise<NotesSyncResult> {
  const present = await runGit(['rev-parse', '--verify', '--quiet', PRODUCT.notesRef], {
    cwd: root,
    okExitCodes: [0, 1],
  });
  if (present.exitCode !== 0) return { remote, output: `no ${PRODUCT.notesRef} here yet` };
  const r = await runGit(['push', remote, `${PRODUCT.notesRef}:${PRODUCT.notesRef}`], { cwd: root });
  return { remote, output: (r.stdout + r.stderr).trim() };
}

/**
 * Fetches the remote's notes into a side ref and merges them into ours. On a commit both sides noted, ours
 * wins: our post-commit wrote it from the editor's own record.
 */
export async function fetchNotes(root: string, remote: string): Promise<NotesSyncResult> {
  const side = `refs/notes/${PRODUCT.cli}-remote/${remote}`;
  const fetched = await runGit(['fetch', remote, `+${PRODUCT.notesRef}:${side}`], { cwd: root, okExitCodes: [0, 128] });
  if (fetched.exitCode !== 0) {
    if (/couldn't find remote ref/i.test(fetched.stderr))
      return { remote, output: `${remote} has no ${PRODUCT.notesRef} yet` };
    throw new Error(`git fetch ${remote} ${PRODUCT.notesRef} failed: ${fetched.stderr.trim()}`);
  }
  const merged = await git(['notes', '--ref', PRODUCT.notesRef, 'merge', '-s', 'ours', '--quiet', side], { cwd: root });
  return { remote, output: merged };
}

/**
 * Per-file AI lines from the line-level notes, for showing where AI lines are (sidebar, review packets). The
 * CI gate does not use it: a note is written by the branch's author, so `check` decides high-risk paths from
 * the files a commit touches, which no note can hide.
 */
export function notesLineSource(root: string): AiLineSource {
  return {
    name: 'notes',
    async lines(commitIds) {
      const out = new Map<string, AiPathLines[]>();
      for (const [commit, note] of await readNotes(root, commitIds)) {
        let parsed: ReturnType<typeof parseAgentTrace>;
        let removedByPath: Map<string, NonNullable<AiPathLines['removed']>[number][]>;
        try {
          parsed = parseAgentTrace(note);
          removedByPath = new Map();
          for (const r of parseRemovedLines(note)) {
            const list = removedByPath.get(r.path) ?? [];
            for (const range of r.ranges)
              list.push({
                start: range.start_line,
                end: range.end_line,
                tool: r.tool,
                kind: r.kind,
                ...(r.model !== undefined ? { model: r.model } : {}),
              });
            removedByPath.set(r.path, list);
          }
        } catch {
          continue;
        }
        const files: AiPathLines[] = [];
        for (const [path, lines] of parsed) {
          const ranges: { start: number; end: number; tool?: string; kind?: string; model?: string }[] = [];
          let aiLines = 0;
          for (const line of [...lines.keys()].sort((a, b) => a - b)) {
            const info = lines.get(line)!;
            if (info.cls !== 'a' && info.cls !== 'm') continue;
            aiLines++;
            const last = ranges[ranges.length - 1];
            if (
              last &&
              last.end === line - 1 &&
              last.tool === info.tool &&
              last.kind === info.kind &&
              last.model === info.model
            )
              last.end = line;
            else
              ranges.push({
                start: line,
                end: line,
                ...(info.tool ? { tool: info.tool } : {}),
                ...(info.kind ? { kind: info.kind } : {}),
                ...(info.model ? { model: info.model } : {}),
              });
          }
          const removed = removedByPath.get(path);
          removedByPath.delete(path);
          if (aiLines > 0 || removed) files.push({ path, aiLines, ranges, ...(removed ? { removed } : {}) });
        }
        for (const [path, removed] of removedByPath) files.push({ path, aiLines: 0, ranges: [], removed });
        out.set(commit, files);
      }
      return out;
    },
  };
}

/** Sets the note of `rev` on refs/notes/ai-provenance to `text` (replacing any). */
export async function writeNote(root: string, rev: string, text: string, logger?: Logger): Promise<void> {
  await git(['notes', '--ref', PRODUCT.notesRef, 'add', '-f', '-F', '-', rev], { cwd: root, input: text, logger });
}

/** The note of `rev` on refs/notes/ai-provenance, or undefined when it has none. */
export async function noteOf(root: string, rev: string, logger?: Logger): Promise<string | undefined> {
  const r = await runGit(['notes', '--ref', PRODUCT.notesRef, 'show', rev], { cwd: root, okExitCodes: [0, 1], logger });
  return r.exitCode === 0 ? r.stdout : undefined;
}

/** Removes the note of `rev` on refs/notes/ai-provenance. */
export async function removeNote(root: string, rev: string, logger?: Logger): Promise<void> {
  await git(['notes', '--ref', PRODUCT.notesRef, 'remove', rev], { cwd: root, logger });
}
