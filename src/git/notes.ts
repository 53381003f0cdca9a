import { PRODUCT } from '../core/product';
import { git, runGit } from './git';
import { readBlobs } from './staged';

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
    if (/couldn't find remote ref/i.test(fetched.stderr)) return { remote, output: `${remote} has no ${PRODUCT.notesRef} yet` };
    throw new Error(`git fetch ${remote} ${PRODUCT.notesRef} failed: ${fetched.stderr.trim()}`);
  }
  const merged = await git(['notes', '--ref', PRODUCT.notesRef, 'merge', '-s', 'ours', '--quiet', side], { cwd: root });
  return { remote, output: merged };
}
