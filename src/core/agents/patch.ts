import type { FileEdit, Replacement } from './call';

/**
 * The two edit formats agents put in their tool input, turned into FileEdits:
 *
 * 1. The patch format of Codex's `apply_patch` (also VS Code's and Cline's `apply_patch` tool):
 *    ```
 *    *** Begin Patch
 *    *** Add File: path          then the file's lines, each prefixed with "+"
 *    *** Delete File: path
 *    *** Update File: path
 *    *** Move to: new/path       optional, right after Update File
 *    @@ optional anchor line      then hunk lines: " " context, "-" removed, "+" added
 *    *** End of File             optional: the hunk ends at the end of the file
 *    *** End Patch
 *    ```
 *    Paths are as the agent wrote them (relative to its working folder). Each hunk becomes a replacement of its
 *    context and removed lines by its context and added lines, searched after the previous hunk.
 *
 * 2. Cline's `replace_in_file` SEARCH/REPLACE blocks (`------- SEARCH` / `=======` / `+++++++ REPLACE`, and
 *    the older `<<<<<<< SEARCH` / `=======` / `>>>>>>> REPLACE`), applied in order.
 */

export class PatchFormatError extends Error {
  override readonly name = 'PatchFormatError';
}

const FILE_HEADER = /^\*\*\* (Add|Delete|Update) File: (.+)$/;

/** Parses a patch in the `*** Begin Patch` format. Throws PatchFormatError when it is not one. */
export function parsePatch(text: string): FileEdit[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  // Some agents wrap the patch in a heredoc command (`apply_patch <<'EOF'`); start at the marker.
  while (i < lines.length && lines[i]!.trim() !== '*** Begin Patch') i++;
  if (i >= lines.length) throw new PatchFormatError('no "*** Begin Patch" line');
  i++;
  const edits: FileEdit[] = [];
  let ended = false;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '*** End Patch') {
      ended = true;
      break;
    }
    const header = FILE_HEADER.exec(line.trimEnd());
    if (!header) {
      if (line.trim() === '') {
        i++;
        continue;
      }
      throw new PatchFormatError(`unexpected line ${i + 1}: ${JSON.stringify(line.slice(0, 80))}`);
    }
    const [, kind, rawPath] = header as unknown as [string, string, string];
    const path = rawPath.trim();
    i++;
    if (kind === 'Delete') {
      edits.push({ path, op: 'delete' });
      continue;
    }
    if (kind === 'Add') {
      const content: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('+')) content.push(lines[i++]!.slice(1));
      edits.push({ path, op: 'write', content: content.length > 0 ? content.join('\n') + '\n' : '' });
      continue;
    }
    let moveTo: string | undefined;
    if (i < lines.length && lines[i]!.startsWith('*** Move to: '))
      moveTo = lines[i++]!.slice('*** Move to: '.length).trim();
    const replacements: Replacement[] = [];
    let anchor: string | undefined;
    let oldLines: string[] = [];
    let newLines: string[] = [];
    let inHunk = false;
    const flush = (atEnd: boolean): void => {
      if (inHunk && (oldLines.length > 0 || newLines.length > 0)) {
        const r: Replacement = { old: joinLines(oldLines), new: joinLines(newLines) };
        if (anchor !== undefined && anchor !== '') r.anchor = anchor;
        if (atEnd) r.atEnd = true;
        replacements.push(r);
      }
      oldLines = [];
      newLines = [];
      anchor = undefined;
      inHunk = false;
    };
    while (i < lines.length) {
      const l = lines[i]!;
      if (l.startsWith('*** ')) {
        if (l.trim() === '*** End of File') {
          flush(true);
          i++;
          continue;
        }
        break;
      }
      if (l.startsWith('@@')) {
        flush(false);
        inHunk = true;
        anchor = l.slice(2).trim();
        i++;
        continue;
      }
      inHunk = true;
      if (l.startsWith('+')) newLines.push(l.slice(1));
      else if (l.startsWith('-')) oldLines.push(l.slice(1));
      else if (l.startsWith(' ')) {
        oldLines.push(l.slice(1));
        newLines.push(l.slice(1));
      } else if (l === '') {
        // A blank context line whose leading space an editor or model dropped; a trailing blank line before the
        // next header is not content.
        const next = lines[i + 1];
        if (next === undefined || next.startsWith('*** ')) {
          i++;
          continue;
        }
        oldLines.push('');
        newLines.push('');
      } else {
        throw new PatchFormatError(
          `unexpected line ${i + 1} in the hunk of ${path}: ${JSON.stringify(l.slice(0, 80))}`,
        );
      }
      i++;
    }
    flush(false);
    const edit: FileEdit = { path, op: 'replace', replacements, ordered: true };
    if (moveTo !== undefined) edit.moveTo = moveTo;
    edits.push(edit);
  }
  if (!ended) throw new PatchFormatError('no "*** End Patch" line');
  return edits;
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

const SEARCH = /^(?:-{3,}|<{3,}) ?SEARCH>?$/;
const DIVIDER = /^={3,}$/;
const REPLACE = /^(?:\+{3,}|>{3,}) ?REPLACE>?$/;

/** Parses SEARCH/REPLACE blocks. Throws PatchFormatError when a block is not closed or there is none. */
export function parseSearchReplace(text: string): Replacement[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: Replacement[] = [];
  let state: 'outside' | 'search' | 'replace' = 'outside';
  let search: string[] = [];
  let replace: string[] = [];
  for (const line of lines) {
    const bare = line.trim();
    if (state === 'outside') {
      if (SEARCH.test(bare)) {
        state = 'search';
        search = [];
        replace = [];
      }
    } else if (state === 'search') {
      if (DIVIDER.test(bare)) state = 'replace';
      else search.push(line);
    } else if (REPLACE.test(bare)) {
      out.push({ old: joinLines(search), new: joinLines(replace) });
      state = 'outside';
    } else {
      replace.push(line);
    }
  }
  if (state !== 'outside') throw new PatchFormatError('a SEARCH/REPLACE block is not closed');
  if (out.length === 0) throw new PatchFormatError('no SEARCH/REPLACE block');
  return out;
}
