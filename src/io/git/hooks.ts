import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PRODUCT } from '../../core/product';
import { AI_ATTRIBUTION, FAILED_ATTRIBUTION } from '../../core/formats/trailers';
import { git, runGit } from './git';
import { readTextIfExists } from '../store/files';
import { writeFileAtomicSync } from '../store/atomic-file';

/**
 * The managed git hooks (docs/commits.md). Our code goes into each hook file as one marked block placed
 * right after the shebang, so it runs even when the rest of the file ends with `exit` (husky 9's hooks do),
 * and a hook someone else wrote keeps working unchanged below it. Uninstall removes exactly the block.
 * The block calls a launcher at a stable path (see launcherPath) that we keep pointing at the current CLI.
 */

export const MANAGED_HOOKS = ['prepare-commit-msg', 'commit-msg', 'post-commit', 'post-rewrite'] as const;
export type ManagedHook = (typeof MANAGED_HOOKS)[number];

const BEGIN = '# >>> ai-provenance >>>';
const END = '# <<< ai-provenance <<<';
const SHELLS = /^#!\s*(\/usr)?\/bin\/(env\s+)?(sh|bash|dash|zsh|ksh|ash)(\s|$)/;

/** Where our per-user files live: $AI_PROVENANCE_HOME, else $XDG_DATA_HOME/ai-provenance, else ~/.local/share/ai-provenance. */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AI_PROVENANCE_HOME) return path.resolve(env.AI_PROVENANCE_HOME);
  const xdg =
    env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME)
      ? env.XDG_DATA_HOME
      : path.join(os.homedir(), '.local', 'share');
  return path.join(xdg, PRODUCT.cli);
}

/** The stable launcher the hook blocks call. Its path never changes; its content follows the installed CLI. */
export function launcherPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataHome(env), 'bin', PRODUCT.cli);
}

/** Quotes a string for POSIX sh: single quotes, with embedded single quotes closed, escaped and reopened. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface LauncherTarget {
  /** The Node (or Electron run as Node) that runs the CLI. */
  node: string;
  /** The CLI bundle, dist/cli.js. */
  cli: string;
}

/**
 * Writes the launcher: a small sh script that runs the CLI with the given Node. Written atomically, so a commit
 * running at the same moment sees the old or the new launcher, never half of one. If that Node is gone (an
 * editor update moved it) it falls back to `node` on PATH. If the CLI is gone (or no Node is left), commits still
 * go through, but prepare-commit-msg marks each one `AI-Attribution: v1 failed` so the gate asks a senior: nothing
 * can say which lines AI wrote.
 */
export function writeLauncher(target: LauncherTarget, env: NodeJS.ProcessEnv = process.env): string {
  const file = launcherPath(env);
  const dir = `$(git rev-parse --git-path ${PRODUCT.stateDirName} 2>/dev/null)`;
  const script = `#!/bin/sh
# AI Provenance launcher: git hooks and agent hooks call this stable path.
# Written by the AI Provenance extension or 'ai-provenance hooks install'; rewritten when they update.
if [ "$1" = hook ] && [ "$2" = post-commit ]; then
  # post-commit without starting Node: prepare-commit-msg left the note's text around the commit id to come. Each
  # process started here is a few milliseconds of every commit with AI lines: sh's own commands where they do.
  # Hooks run at the work tree's top: there, a .git folder with nothing steering git is the repository.
  if [ -d .git ] && [ -z "\${GIT_DIR:-}\${GIT_COMMON_DIR:-}" ]; then d=.git/${PRODUCT.stateDirName}; else d="${dir}"; fi
  [ -n "$d" ] && [ -f "$d/${HOOK_MARKERS.pendingNote}" ] || exit 0
  tree=
  [ -f "$d/${HOOK_MARKERS.pendingTree}" ] && { read -r tree < "$d/${HOOK_MARKERS.pendingTree}" || :; }
  ids=$(git rev-parse HEAD 'HEAD^{tree}' 2>/dev/null)
  head=\${ids%%[!0-9a-f]*}
  if [ -n "$tree" ] && [ -n "$head" ] && [ "\${ids##*[!0-9a-f]}" = "$tree" ]; then
    # git notes has no compare-and-swap: a commit in another worktree at the same instant can replace our notes
    # commit. Check the note is there, and try again a few times if it is not.
    for try in 1 2 3 4 5; do
      printf '%s' "$head" | cat "$d/${HOOK_MARKERS.pendingNote}" - "$d/${HOOK_MARKERS.pendingNoteTail}" |
        git notes --ref ${PRODUCT.notesRef} add -f -F - "$head" >/dev/null 2>&1
      git notes --ref ${PRODUCT.notesRef} list "$head" >/dev/null 2>&1 && break
    done
  fi
  rm -f "$d/${HOOK_MARKERS.pendingNote}" "$d/${HOOK_MARKERS.pendingNoteTail}" "$d/${HOOK_MARKERS.pendingTree}"
  exit 0
fi
node=${shQuote(target.node)}
cli=${shQuote(target.cli)}
mark_failed() {
  # The commit goes on, marked so that check asks a senior to look (the trailer the CLI writes when it fails itself).
  # Sign-offs (and requests for changes) are left alone.
  sed -n 1p "$1" | grep -Eq '^AI (sign-off|changes requested): ' && return 0
  git interpret-trailers --in-place --no-divider --if-exists replace --trailer '${AI_ATTRIBUTION}: ${FAILED_ATTRIBUTION}' "$1" >/dev/null 2>&1
}
if [ ! -f "$cli" ] || { [ ! -x "$node" ] && ! node=$(command -v node); }; then
  # The CLI (or a Node to run it) is gone: an editor update moved it, an npx cache was cleaned. Nothing can say which
  # lines AI wrote, so a commit is marked for review rather than let through as if no AI had been at work.
  gone="${PRODUCT.cli}: the hooks' CLI is gone ($cli); the commit goes on, marked ${AI_ATTRIBUTION}: ${FAILED_ATTRIBUTION}. Run '${PRODUCT.cli} hooks install' (npm install -g ${PRODUCT.npmPackage}) or open VS Code with the extension"
  d="${dir}"
  if [ "$1" = hook ] && [ "$2" = prepare-commit-msg ] && [ -f "$3" ]; then
    case "\${4:-}" in
      # The editor opens on the message: a trailer now would be the first line the person types against (and would
      # keep a message left empty from aborting). commit-msg marks what comes back.
      ''|template) [ -n "$d" ] && mkdir -p "$d" && : > "$d/${HOOK_MARKERS.emptyMessage}" ;;
      *) mark_failed "$3"; echo "$gone" >&2 ;;
    esac
  elif [ "$1" = hook ] && [ "$2" = commit-msg ] && [ -f "$3" ]; then
    [ -n "$d" ] && rm -f "$d/${HOOK_MARKERS.emptyMessage}"
    c=$(git config --get core.commentChar 2>/dev/null) || c='#'
    [ "$c" = auto ] && c='#'
    # Only a message with the person's text (git aborts on one left empty): lines that are not comments, above the
    # scissors line of commit -v.
    if awk -v c="$c" 'index($0, c " ------------------------ >8") == 1 { exit } index($0, c) != 1 && $0 ~ /[^[:space:]]/ { t = 1; exit } END { exit !t }' "$3"; then
      mark_failed "$3"; echo "$gone" >&2
    fi
  fi
  exit 0
fi
entry=$cli
# The git hooks (each commit starts them) through the CLI's loader, which keeps its compiled code.
[ "$1" = hook ] && [ -f "\${cli%/*}/cli-cached.js" ] && entry="\${cli%/*}/cli-cached.js"
if [ "$1" = hook ] && [ "$2" = prepare-commit-msg ] && [ -f "$3" ]; then
  # The CLI always exits 0 from a hook; a failure here is Node dying (out of memory, killed).
  ELECTRON_RUN_AS_NODE=1 "$node" "$entry" "$@" && exit 0
  mark_failed "$3"
  sed -n 1p "$3" | grep -Eq '^AI (sign-off|changes requested): ' && exit 0
  echo "${PRODUCT.cli}: prepare-commit-msg died; the commit goes on, marked ${AI_ATTRIBUTION}: ${FAILED_ATTRIBUTION}" >&2
  exit 0
fi
if [ "$1" = agent-hook ] && [ -f "\${cli%/*}/agent-hook.js" ]; then
  # The agent hook alone, bundled apart: an agent's every tool call starts it, twice.
  ELECTRON_RUN_AS_NODE=1 exec "$node" "\${cli%/*}/agent-hook.js" "$@"
fi
ELECTRON_RUN_AS_NODE=1 exec "$node" "$entry" "$@"
`;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  writeFileAtomicSync(file, script, { mode: 0o755 });
  return file;
}

/**
 * What the launcher runs: the CLI it points at, and whether that file is still there (a CLI run through npx, or
 * an extension folder removed by an update, leaves the launcher pointing at nothing: the hooks then do nothing).
 */
export function launcherTargetOf(file: string = launcherPath()): { cli?: string; node?: string; cliExists: boolean } {
  const text = readTextIfExists(file);
  if (text === undefined) return { cliExists: false };
  // The launcher writes each value with shQuote: 'value', a single quote inside as '\''.
  const value = (name: string): string | undefined => {
    const line = text.split('\n').find(l => l.startsWith(`${name}='`) && l.endsWith("'"));
    return line === undefined
      ? undefined
      : line
          .slice(name.length + 2, -1)
          .split(`'\\''`)
          .join("'");
  };
  const cli = value('cli');
  const node = value('node');
  return { ...(cli ? { cli } : {}), ...(node ? { node } : {}), cliExists: cli !== undefined && fs.existsSync(cli) };
}

/**
 * The block that goes into a hook file. git's hook arguments pass through; its output and failure do not
 * matter. Our command never reads stdin, so post-rewrite's list of rewritten commits stays for the hook below.
 */
export function hookBlock(hook: ManagedHook, launcher: string): string {
  const q = shQuote(launcher);
  return [
    `${BEGIN} managed by AI Provenance; 'ai-provenance hooks uninstall' removes this block`,
    `if [ -x ${q} ]${HOOK_GUARDS[hook]}; then ${q} hook ${hook} "$@" </dev/null || true; fi`,
    END,
  ].join('\n');
}

/**
 * Files in the state folder by which prepare-commit-msg tells the later hooks they have work to do. The later
 * hooks test for them in sh, so a commit without AI lines starts Node once, not three times.
 */
export const HOOK_MARKERS = {
  /** post-commit: a record waits to be written as a note (the note's text before the commit id). */
  pendingNote: 'pending-commit.json',
  /** The note's text after the commit id. */
  pendingNoteTail: 'pending-commit.tail',
  /** The tree the prepared commit has: post-commit checks HEAD has it. */
  pendingTree: 'pending-commit.tree',
  /** commit-msg: our trailers went into a message that had no text yet (the editor is about to open). */
  emptyMessage: 'empty-message',
} as const;

const marker = (name: string): string => ` && [ -f "$(git rev-parse --git-path ${PRODUCT.stateDirName}/${name})" ]`;
const HOOK_GUARDS: Record<ManagedHook, string> = {
  'prepare-commit-msg': '',
  'commit-msg': marker(HOOK_MARKERS.emptyMessage),
  'post-commit': marker(HOOK_MARKERS.pendingNote),
  'post-rewrite': ' && [ "$1" = amend ]',
};

export type HookState =
  /** Our block is there and calls the current launcher. */
  | 'installed'
  /** Our block is there but calls another launcher path, or differs from what we would write. */
  | 'outdated'
  /** No block of ours. */
  | 'missing'
  /** A hook written in a language we cannot add a shell block to: the person must call us from it. */
  | 'foreign';

export interface HookStatus {
  hook: ManagedHook;
  file: string;
  state: HookState;
  /** Whether the file holds anything besides our block (someone else's hook). */
  shared: boolean;
}

export interface HooksLocation {
  /** The folder git runs hooks from (core.hooksPath honoured). */
  dir: string;
  /** core.hooksPath when set (husky and friends), else undefined. */
  hooksPath?: string;
}

export async function hooksLocation(root: string): Promise<HooksLocation> {
  const dir = path.resolve(root, await git(['rev-parse', '--git-path', 'hooks'], { cwd: root }));
  const configured = await runGit(['config', '--get', 'core.hooksPath'], { cwd: root, okExitCodes: [0, 1] });
  const hooksPath = configured.exitCode === 0 ? configured.stdout.trim() : undefined;
  return hooksPath ? { dir, hooksPath } : { dir };
}

function findBlock(text: string): { start: number; end: number } | undefined {
  const start = text.indexOf(BEGIN);
  if (start < 0) return undefined;
  const endMarker = text.indexOf(END, start);
  if (endMarker < 0) return undefined;
  let end = endMarker + END.length;
  if (text[end] === '\n') end++;
  return { start, end };
}

/**
 * A hook file's bytes as a string, one character per byte (latin1), so writing it back gives the same bytes
 * whatever its encoding; undefined when there is none. A symbolic link is reported as such: we do not edit the
 * file a team's link points at.
 */
function readHook(file: string): { text: string; symlink: boolean } | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (stat.isSymbolicLink()) return { text: '', symlink: true };
  return { text: fs.readFileSync(file, 'latin1'), symlink: false };
}

/** Our (UTF-8) text in the one-character-per-byte form hook files are handled in. */
function asBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** A compiled program, or a script in another language: not ours to put a shell block into. */
function isForeign(text: string): boolean {
  const firstLine = text.split('\n', 1)[0] ?? '';
  if (firstLine.startsWith('#!')) return !SHELLS.test(firstLine);
  return text.includes('\0');
}

export function hookStatus(dir: string, hook: ManagedHook, launcher: string): HookStatus {
  const file = path.join(dir, hook);
  const read = readHook(file);
  if (read === undefined) return { hook, file, state: 'missing', shared: false };
  if (read.symlink) return { hook, file, state: 'foreign', shared: true };
  const text = read.text;
  const block = findBlock(text);
  const rest = block ? text.slice(0, block.start) + text.slice(block.end) : text;
  const shared = rest.split('\n').some(line => line.trim() !== '' && !line.startsWith('#!'));
  if (!block) return { hook, file, state: isForeign(text) ? 'foreign' : 'missing', shared };
  const current = text.slice(block.start, block.end).trimEnd() === asBytes(hookBlock(hook, launcher));
  return { hook, file, state: current ? 'installed' : 'outdated', shared };
}

/** Thrown when a hook file is not a shell script: we will not edit another language's file. */
export class ForeignHookError extends Error {
  override readonly name = 'ForeignHookError';
  constructor(
    readonly file: string,
    readonly shebang: string,
    readonly hook: ManagedHook,
    readonly launcher: string,
  ) {
    super(
      `${file} is not a shell script we can edit (${shebang.slice(0, 60)}), so AI Provenance leaves it as it is. ` +
        `Have it run: ${shQuote(launcher)} hook ${hook} with the same arguments git gave it (failures of that call can be ignored).`,
    );
  }
}

/**
 * Adds (or refreshes) our block in one hook file: after the shebang of an existing shell hook, or as a new
 * `#!/bin/sh` file. Returns what it did. File mode: existing modes kept, execute bits added.
 */
export function installHook(
  dir: string,
  hook: ManagedHook,
  launcher: string,
): 'created' | 'added' | 'updated' | 'unchanged' {
  const status = hookStatus(dir, hook, launcher);
  const block = asBytes(hookBlock(hook, launcher));
  fs.mkdirSync(dir, { recursive: true });
  const existing = readHook(status.file)?.text;
  let next: string;
  let outcome: 'created' | 'added' | 'updated' | 'unchanged';
  if (existing === undefined) {
    next = `#!/bin/sh\n${block}\n`;
    outcome = 'created';
  } else if (status.state === 'installed') {
    outcome = 'unchanged';
    next = existing;
  } else if (status.state === 'outdated') {
    const found = findBlock(existing)!;
    next = existing.slice(0, found.start) + block + '\n' + existing.slice(found.end);
    outcome = 'updated';
  } else if (status.state === 'foreign') {
    const link = fs.lstatSync(status.file).isSymbolicLink();
    throw new ForeignHookError(
      status.file,
      link
        ? `a link to ${fs.readlinkSync(status.file)}`
        : isForeign(existing) && !existing.startsWith('#!')
          ? 'a program'
          : (existing.split('\n', 1)[0] ?? ''),
      hook,
      launcher,
    );
  } else {
    const newline = existing.indexOf('\n');
    const hasShebang = existing.startsWith('#!');
    next = hasShebang
      ? newline < 0
        ? `${existing}\n${block}\n`
        : existing.slice(0, newline + 1) + block + '\n' + existing.slice(newline + 1)
      : `${block}\n${existing}`;
    outcome = 'added';
  }
  if (next !== existing) writeKeepingMode(status.file, next);
  ensureExecutable(status.file);
  return outcome;
}

/** Removes exactly our block. A file that held only our block (and a shebang) is removed. */
export function uninstallHook(dir: string, hook: ManagedHook): 'removed' | 'deleted' | 'absent' {
  const file = path.join(dir, hook);
  const read = readHook(file);
  const text = read && !read.symlink ? read.text : undefined;
  const block = text === undefined ? undefined : findBlock(text);
  if (text === undefined || !block) return 'absent';
  const rest = text.slice(0, block.start) + text.slice(block.end);
  if (rest.split('\n').every(line => line.trim() === '' || line.startsWith('#!'))) {
    fs.rmSync(file);
    return 'deleted';
  }
  writeKeepingMode(file, rest);
  return 'removed';
}

/** Hook files are read and written as latin1, so every byte of someone else's hook comes back as it was. */
function writeKeepingMode(file: string, text: string): void {
  writeFileAtomicSync(file, Buffer.from(text, 'latin1'), { mode: 0o755, keepMode: true });
}

function ensureExecutable(file: string): void {
  const mode = fs.statSync(file).mode & 0o7777;
  if ((mode & 0o111) !== 0o111) fs.chmodSync(file, mode | 0o111);
}

/** notes.rewriteRef makes amend and rebase carry our notes to the rewritten commits. */
export async function ensureNotesRewrite(root: string): Promise<boolean> {
  const r = await runGit(['config', '--get-all', 'notes.rewriteRef'], { cwd: root, okExitCodes: [0, 1] });
  if (r.stdout.split('\n').includes(PRODUCT.notesRef)) return false;
  await git(['config', '--add', 'notes.rewriteRef', PRODUCT.notesRef], { cwd: root });
  return true;
}

export async function removeNotesRewrite(root: string): Promise<void> {
  const escaped = PRODUCT.notesRef.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  await runGit(['config', '--unset-all', 'notes.rewriteRef', `^${escaped}$`], { cwd: root, okExitCodes: [0, 5] });
}

export async function hasNotesRewrite(root: string): Promise<boolean> {
  const r = await runGit(['config', '--get-all', 'notes.rewriteRef'], { cwd: root, okExitCodes: [0, 1] });
  return r.stdout.split('\n').includes(PRODUCT.notesRef);
}
