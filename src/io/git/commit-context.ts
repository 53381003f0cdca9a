import * as fs from 'node:fs';
import * as path from 'node:path';
import { runProcess } from '../process/run';
import { git } from './git';

/**
 * What git is doing while a commit hook runs. git tells hooks little: prepare-commit-msg gets "message" for
 * both `git commit -m` and `git commit --amend -m`, so whether this is an amend is read from the command line
 * of the git process that runs the hook (our parents: git -> hook sh -> launcher exec'd into node).
 */

/** A sequencer operation whose commits carry their original messages (and trailers): we leave them alone. */
export async function sequencerInProgress(root: string): Promise<string | undefined> {
  const names = ['rebase-merge', 'rebase-apply', 'CHERRY_PICK_HEAD', 'REVERT_HEAD', 'MERGE_HEAD', 'SQUASH_MSG'];
  const out = await git(['rev-parse', ...names.flatMap(n => ['--git-path', n])], { cwd: root });
  const paths = out.split('\n');
  for (let i = 0; i < names.length; i++) {
    if (fs.existsSync(path.resolve(root, paths[i]!))) return names[i];
  }
  return undefined;
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
