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
  return { root, stateDir: path.resolve(cwd, gitPath) };
}
