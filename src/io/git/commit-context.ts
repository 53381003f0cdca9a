import * as fs from 'node:fs';
import * as path from 'node:path';
import { runProcess } from '../process/run';
import { PRODUCT } from '../../core/product';
import { rememberObjectFormat } from '../store/blob-id';
import { GitError, git, runGit } from './git';
import { NotARepositoryError, type RepositoryLocation } from './repository';

/**
 * What git is doing while a commit hook runs. git tells hooks little: prepare-commit-msg gets "message" for
 * both `git commit -m` and `git commit --amend -m`, so whether this is an amend is read from the command line
 * of the git process that runs the hook (our parents: git -> hook sh -> launcher exec'd into node).
 */

/**
 * Where the commit being made comes from, when git is in the middle of something (docs/commits.md): its text may
 * carry AI lines that earlier commits recorded, and those must not arrive unattributed.
 * - `merge`: `git merge` (or the `git commit` that ends a conflicted one); `heads` are the other parents.
 * - `squash`: the `git commit` after `git merge --squash`; `commits` are the squashed commits git lists in SQUASH_MSG.
 * - `pick`: a cherry-pick or a rebase step (CHERRY_PICK_HEAD), or a commit made while a rebase is stopped
 *   (REBASE_HEAD: a conflict, an `edit`): `commit` is the original being replayed.
 * - `revert`: a revert; its lines are older text coming back, attributed like any other commit's.
 * - `prepared`: git prepared a message from another commit without saying which (`cherry-pick -n`, `revert -n`
 *   leave MERGE_MSG and nothing else): `message` is that text, whose trailers say what the original had.
 */
export type CommitOrigin =
  | { readonly kind: 'merge'; readonly heads: readonly string[] }
  | { readonly kind: 'squash'; readonly commits: readonly string[] }
  | { readonly kind: 'pick'; readonly commit: string }
  | { readonly kind: 'revert' }
  | { readonly kind: 'prepared'; readonly message: string };

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

function readIds(file: string): string[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return text
    .split('\n')
    .map(line => line.trim())
    .filter(line => OBJECT_ID.test(line));
}

/** git's state files that tell a commit's origin (commitOrigin), asked of `git rev-parse --git-path` in this order. */
const ORIGIN_FILES = [
  'MERGE_HEAD',
  'SQUASH_MSG',
  'CHERRY_PICK_HEAD',
  'REBASE_HEAD',
  'REVERT_HEAD',
  'rebase-merge',
  'rebase-apply',
  'MERGE_MSG',
] as const;
type OriginFile = (typeof ORIGIN_FILES)[number];

/** The commit's origin from git's state files (written by git itself), or undefined for a plain commit. */
export async function commitOrigin(root: string): Promise<CommitOrigin | undefined> {
  const out = await git(['rev-parse', ...ORIGIN_FILES.flatMap(n => ['--git-path', n])], { cwd: root });
  return originFromFiles(root, out.split('\n'));
}

/** commitOrigin, from the answers of `git rev-parse --git-path` for ORIGIN_FILES (relative to where git ran). */
function originFromFiles(cwd: string, answers: readonly string[]): CommitOrigin | undefined {
  const paths = answers.map(p => path.resolve(cwd, p));
  const at = (name: OriginFile): string => paths[ORIGIN_FILES.indexOf(name)]!;
  const heads = readIds(at('MERGE_HEAD'));
  if (heads && heads.length > 0) return { kind: 'merge', heads };
  let squash: string | undefined;
  try {
    squash = fs.readFileSync(at('SQUASH_MSG'), 'utf8');
  } catch {
    squash = undefined;
  }
  if (squash !== undefined) {
    // git's own headers start at the line start; the squashed messages below them are indented.
    const commits = [...squash.matchAll(/^commit ([0-9a-f]{40}(?:[0-9a-f]{24})?)$/gm)].map(m => m[1]!);
    return { kind: 'squash', commits };
  }
  const [picked] = readIds(at('CHERRY_PICK_HEAD')) ?? [];
  if (picked) return { kind: 'pick', commit: picked };
  // git can leave REBASE_HEAD behind once a rebase is over: it counts only while a rebase is stopped.
  const rebasing = fs.existsSync(at('rebase-merge')) || fs.existsSync(at('rebase-apply'));
  const [replayed] = rebasing ? (readIds(at('REBASE_HEAD')) ?? []) : [];
  if (replayed) return { kind: 'pick', commit: replayed };
  if (fs.existsSync(at('REVERT_HEAD'))) return { kind: 'revert' };
  try {
    return { kind: 'prepared', message: fs.readFileSync(at('MERGE_MSG'), 'utf8') };
  } catch {
    return undefined;
  }
}

function readCmdline(pid: number): Promise<{ argv: string[]; ppid: number } | undefined> {
  if (process.platform === 'linux') {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return Promise.resolve({ argv, ppid });
    } catch {
      return Promise.resolve(undefined);
    }
  }
  return runProcess('ps', ['-o', 'ppid=,args=', '-p', String(pid)], { timeoutMs: 5000 }).then(
    ({ stdout }) => {
      const m = /^\s*(\d+)\s+(.*)$/.exec(stdout.trim());
      return m ? { ppid: Number(m[1]), argv: m[2]!.split(/\s+/) } : undefined;
    },
    () => undefined,
  );
}

/** The argument list of the nearest `git ... commit ...` ancestor process, or undefined. */
export async function gitCommitArgs(maxDepth = 6): Promise<string[] | undefined> {
  let pid = process.ppid;
  for (let depth = 0; depth < maxDepth && pid > 1; depth++) {
    const info = await readCmdline(pid);
    if (!info) return undefined;
    const exe = path.basename(info.argv[0] ?? '');
    const at = info.argv.indexOf('commit');
    if ((exe === 'git' || exe.startsWith('git-')) && at > 0) return info.argv.slice(at + 1);
    pid = info.ppid;
  }
  return undefined;
}

/** Whether git's commit arguments ask to amend (`--amend`, or any unique prefix git accepts, before `--`). */
export function isAmend(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg.length >= 5 && '--amend'.startsWith(arg)) return true;
  }
  return false;
}

/** What prepare-commit-msg needs to know of the repository before it starts, asked of git at once (commitHookContext). */
export interface CommitHookContext {
  location: RepositoryLocation;
  /** The commit HEAD names, or undefined on an unborn branch (the first commit). */
  head: string | undefined;
  origin: CommitOrigin | undefined;
}

/**
 * locateRepository, the object format, commitOrigin and HEAD in one `git rev-parse`: each git start costs a commit
 * some milliseconds, and prepare-commit-msg asked four times for what one call answers. Its answers come one a line
 * in the order asked; `--verify -q` last, so an unborn HEAD only leaves the last line out (exit 1).
 */
export async function commitHookContext(cwd: string): Promise<CommitHookContext> {
  const args = [
    'rev-parse',
    '--show-toplevel',
    '--git-path',
    PRODUCT.stateDirName,
    '--show-object-format',
    ...ORIGIN_FILES.flatMap(n => ['--git-path', n]),
    '--verify',
    '-q',
    'HEAD^{commit}',
  ];
  const r = await runGit(args, { cwd, okExitCodes: [0, 1] }).catch((error: unknown) => {
    throw error instanceof GitError && !error.notRunnable ? new NotARepositoryError(cwd, error) : error;
  });
  const lines = r.stdout.split('\n');
  const [root, statePath, format] = lines;
  const fixed = 3 + ORIGIN_FILES.length;
  const head = r.exitCode === 0 ? lines[fixed] : undefined;
  if (!root || !statePath || lines.length < fixed || (head !== undefined && !OBJECT_ID.test(head)))
    throw new NotARepositoryError(cwd);
  // git answers relative to its own working folder, the physical one (as locateRepository reads it).
  let physical = cwd;
  try {
    physical = fs.realpathSync(cwd);
  } catch {
    // git ran there, so it exists
  }
  if (format === 'sha1' || format === 'sha256') rememberObjectFormat(root, format);
  return {
    location: { root, stateDir: path.resolve(physical, statePath) },
    head,
    origin: originFromFiles(physical, lines.slice(3, fixed)),
  };
}
