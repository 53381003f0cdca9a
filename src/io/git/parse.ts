/**
 * One parser per git output, each a pure function over the text git printed (unit-tested in
 * test/unit/git-parse.test.ts). The commands that produce these outputs are in the other files of src/io/git;
 * every caller that needs one of these outputs goes through them, so a quirk of git's format is handled once.
 * Paths come out exactly as git wrote them with `-z` (raw bytes decoded as UTF-8, no quoting).
 */

/** Splits `-z` output into its NUL-terminated records. */
export function splitNul(output: string): string[] {
  const parts = output.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** One record of `git diff --raw -z --no-abbrev` (with or without `-M`). */
export interface RawDiffEntry {
  oldMode: string;
  newMode: string;
  /** All zeros for a file that did not exist before. */
  oldBlob: string;
  /** All zeros for a deleted file, or a work tree file git has not hashed. */
  newBlob: string;
  /** A added, C copied, D deleted, M modified, R renamed, T type changed, U unmerged, X unknown. */
  status: string;
  /** Similarity percentage of a rename or copy. */
  score?: number;
  /** The path after the change. */
  path: string;
  /** For renames and copies: the path before. */
  oldPath?: string;
}

const RAW_HEADER = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/;

/** Parses `git diff --raw -z --no-abbrev` (any of diff, diff --cached, diff-index, diff-tree without the commit line). */
export function parseRawDiff(output: string): RawDiffEntry[] {
  const parts = splitNul(output);
  const entries: RawDiffEntry[] = [];
  for (let i = 0; i < parts.length;) {
    const header = parts[i++]!;
    const m = RAW_HEADER.exec(header);
    if (!m) throw new Error(`unexpected git diff --raw output: ${header.slice(0, 100)}`);
    const [, oldMode, newMode, oldBlob, newBlob, status, score] = m;
    const twoPaths = status === 'R' || status === 'C';
    const first = parts[i++];
    const second = twoPaths ? parts[i++] : undefined;
    if (first === undefined || (twoPaths && second === undefined))
      throw new Error(`git diff --raw output ends inside a record: ${header.slice(0, 100)}`);
    const entry: RawDiffEntry = {
      oldMode: oldMode!,
      newMode: newMode!,
      oldBlob: oldBlob!,
      newBlob: newBlob!,
      status: status!,
      path: second ?? first,
    };
    if (score) entry.score = Number(score);
    if (second !== undefined) entry.oldPath = first;
    entries.push(entry);
  }
  return entries;
}

/** True for a blob id of all zeros: "no such blob" in diff output. */
export function isNullBlob(id: string): boolean {
  return /^0+$/.test(id);
}

/** One record of `git status --porcelain=v1 -z`. */
export interface StatusEntry {
  /** The index column (`?` untracked, `!` ignored, ` ` unchanged, or a change letter). */
  index: string;
  /** The work tree column. */
  worktree: string;
  path: string;
  /** For a rename or copy in the index: the path before. */
  oldPath?: string;
}

/** Parses `git status --porcelain=v1 -z` (with or without renames). */
export function parseStatus(output: string): StatusEntry[] {
  const items = splitNul(output);
  const entries: StatusEntry[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.length < 4 || item[2] !== ' ') throw new Error(`unexpected git status output: ${item.slice(0, 100)}`);
    const entry: StatusEntry = { index: item[0]!, worktree: item[1]!, path: item.slice(3) };
    // With -z, a rename or copy is followed by a record holding the old path.
    if (entry.index === 'R' || entry.index === 'C' || entry.worktree === 'R' || entry.worktree === 'C') {
      const old = items[++i];
      if (old === undefined) throw new Error(`git status output ends inside a rename: ${item.slice(0, 100)}`);
      entry.oldPath = old;
    }
    entries.push(entry);
  }
  return entries;
}

/** One line of `git blame --porcelain`. */
export interface BlameLine {
  /** The commit that last changed the line; all zeros when not committed yet. */
  commit: string;
  /** Line number in that commit's version of the file. */
  origLine: number;
  /** Line number in the blamed version. */
  finalLine: number;
  /** The file's path in that commit. */
  origPath: string;
  /** The line's text, without its line break. */
  text: string;
}

/** Parses `git blame --porcelain`: a commit's headers appear once, later lines of it refer back to them. */
export function parseBlamePorcelain(output: string): BlameLine[] {
  const lines = output.split('\n');
  const filenames = new Map<string, string>();
  const result: BlameLine[] = [];
  let i = 0;
  while (i < lines.length) {
    const header = lines[i]!;
    if (header === '') {
      i++;
      continue;
    }
    const m = /^([0-9a-f]{40,64}) (\d+) (\d+)(?: \d+)?$/.exec(header);
    if (!m) throw new Error(`unexpected git blame output: ${header.slice(0, 100)}`);
    const [, commit, orig, final] = m;
    i++;
    while (i < lines.length && !lines[i]!.startsWith('\t')) {
      const line = lines[i]!;
      if (line.startsWith('filename ')) filenames.set(commit!, line.slice('filename '.length));
      i++;
    }
    if (i >= lines.length) throw new Error(`git blame output ends before the text of line ${final}`);
    result.push({
      commit: commit!,
      origLine: Number(orig),
      finalLine: Number(final),
      origPath: filenames.get(commit!) ?? '',
      text: lines[i]!.slice(1),
    });
    i++;
  }
  return result;
}

/** Parses `git log -z --name-only --format=%x00%H`: the paths each commit touches, by commit id. */
export function parseNameOnlyLog(output: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  // Tokens: "" <id> then paths; a path is never empty, so "" always starts a commit.
  const tokens = output.split('\0');
  let current: string[] | undefined;
  let first = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '') {
      const id = tokens[i + 1];
      if (id === undefined || id === '') continue;
      current = [];
      result.set(id, current);
      first = true;
      i++;
    } else if (current) {
      // git separates the format's output from the first path by a newline.
      current.push(first && token.startsWith('\n') ? token.slice(1) : token);
      first = false;
    }
  }
  return result;
}
