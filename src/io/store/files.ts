import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RepositoryLocation } from '../git/repository';

/** A text file's content, or undefined when it does not exist; other errors (permissions) are thrown. */
export function readTextIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * One line in the state folder's hooks.log: where git and agent hooks put the details of a failure they let
 * pass. Best effort: a hook must go on even when the log cannot be written.
 */
export function appendHooksLog(location: RepositoryLocation | undefined, line: string): void {
  if (!location) return;
  try {
    fs.mkdirSync(location.stateDir, { recursive: true, mode: 0o700 });
    fs.appendFileSync(path.join(location.stateDir, 'hooks.log'), `${new Date().toISOString()} ${line}\n`);
  } catch {
    // the log is best effort: the commit or the agent matters more
  }
}
