import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCT } from '../../core/product';
import { GitError, git, type GitRunOptions } from './git';
import { ENVIRONMENT_EXIT } from '../../core/errors';

/** The repository a command works in: its top-level folder and where our local state lives. */
export interface RepositoryLocation {
  /** Absolute path of the work tree's top level. */
  root: string;
  /** Absolute path of `$(git rev-parse --git-path ai-provenance)`: per-worktree local state. */
  stateDir: string;
}

/** The folder is not inside a git work tree. */
export class NotARepositoryError extends Error {
  readonly cliExitCode = ENVIRONMENT_EXIT;
  override readonly name = 'NotARepositoryError';
  constructor(
    readonly folder: string,
    cause?: unknown,
  ) {
    super(`${folder} is not inside a git work tree: run this from a repository, or point at one with -C DIR`, {
      cause,
    });
  }
}

export async function locateRepository(
  cwd: string,
  options: Omit<GitRunOptions, 'cwd'> = {},
): Promise<RepositoryLocation> {
  let out: string;
  try {
    out = await git(['rev-parse', '--show-toplevel', '--git-path', PRODUCT.stateDirName], { ...options, cwd });
  } catch (error) {
    if (error instanceof GitError && !error.notRunnable) throw new NotARepositoryError(cwd, error);
    throw error;
  }
  const [root, gitPath] = out.split('\n');
  if (!root || !gitPath) throw new NotARepositoryError(cwd);
  // git answers relative to its own working folder, the physical one: through a symbolic link, `..` leaves the
  // link's target, not the link.
  let physical = cwd;
  try {
    physical = fs.realpathSync(cwd);
  } catch {
    // git ran there, so it exists; keep the path as given
  }
  return { root, stateDir: path.resolve(physical, gitPath) };
}

/** Environment that changes how git finds a repository: with any of it, only git itself can say. */
const DISCOVERY_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_COMMON_DIR',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_CONFIG_PARAMETERS',
];

/**
 * A repository config in which nothing can move the work tree or make git refuse the repository: no `worktree`,
 * `bare` or `include` anywhere (a key may share a line with its section header), beyond the `bare = false` that
 * `git init` writes, and no `[extensions]` (an extension git does not know makes it refuse the repository).
 */
function plainConfig(config: string): boolean {
  const text = config
    .toLowerCase()
    .split('\n')
    .filter(line => !/^\s*bare\s*=\s*false\s*$/.test(line))
    .join('\n');
  return !/worktree|bare|include|\[\s*extensions/.test(text);
}

/** A folder that holds a git directory's own files: git would take it for a (bare) repository. */
function isGitDirectory(dir: string): boolean {
  return (
    fs.statSync(path.join(dir, 'HEAD'), { throwIfNoEntry: false })?.isFile() === true &&
    fs.statSync(path.join(dir, 'objects'), { throwIfNoEntry: false })?.isDirectory() === true &&
    fs.statSync(path.join(dir, 'refs'), { throwIfNoEntry: false })?.isDirectory() === true
  );
}

/**
 * The repository holding `dir`, found without starting git, for the agent hook (every agent tool call starts it
 * twice, and git is a third of its own cost): only in the plain case, where the answer is the one git gives. That
 * is: no environment that steers discovery, a `.git` folder (not a file: linked worktrees and submodules ask git)
 * that git would accept (HEAD, objects, refs) and that this user owns, on the way up without crossing a file
 * system or passing a folder that is itself a git directory, and a config that mentions no `worktree`, `bare`
 * (beyond `bare = false`), `include` or `[extensions]`.
 * Anything else, or any error, is undefined: ask git (`locateRepository`).
 */
export function locateRepositoryWithoutGit(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): RepositoryLocation | undefined {
  if (DISCOVERY_ENV.some(name => env[name] !== undefined)) return undefined;
  for (let i = 0; ; i++) {
    const key = env[`GIT_CONFIG_KEY_${i}`];
    if (key === undefined) break;
    if (/^core\.(worktree|bare)$/i.test(key)) return undefined;
  }
  try {
    let level = fs.realpathSync(dir);
    const device = fs.statSync(level).dev;
    const uid = process.getuid?.();
    for (;;) {
      const dotGit = path.join(level, '.git');
      const st = fs.lstatSync(dotGit, { throwIfNoEntry: false });
      if (st !== undefined) {
        // A .git file (linked worktree, submodule), a folder git would not accept as a repository, or one another
        // user owns (git refuses it: safe.directory): git decides.
        if (!st.isDirectory() || !isGitDirectory(dotGit)) return undefined;
        if (uid !== undefined && (st.uid !== uid || fs.statSync(level).uid !== uid)) return undefined;
        const config = fs.readFileSync(path.join(dotGit, 'config'), 'utf8');
        if (!plainConfig(config)) return undefined;
        return { root: level, stateDir: path.join(dotGit, PRODUCT.stateDirName) };
      }
      // A folder that is itself a git directory (a bare repository inside the tree): git decides.
      if (isGitDirectory(level)) return undefined;
      const parent = path.dirname(level);
      if (parent === level || fs.statSync(parent).dev !== device) return undefined;
      level = parent;
    }
  } catch {
    return undefined;
  }
}
