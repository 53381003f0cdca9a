import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Whether Copilot CLI runs a repository's own hooks (`.github/hooks`, `.claude/settings.json`): only in a folder
 * the person trusted, which Copilot CLI records in `$COPILOT_HOME/config.json` (default `~/.copilot`) as
 * `trustedFolders` (older versions `trusted_folders`); a trusted folder trusts everything under it. The person's
 * own hooks (`~/.copilot/hooks`) run everywhere. Trusting a folder is the person's decision: we only read it.
 */
export interface CopilotFolderTrust {
  state: 'trusted' | 'untrusted';
  /** For `untrusted`: the one step that makes Copilot CLI run the hooks. */
  message?: string;
}

/** Copilot CLI's own folder: `$COPILOT_HOME` when set (absolute), else `~/.copilot`. */
export function copilotHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.COPILOT_HOME;
  return home !== undefined && path.isAbsolute(home) ? home : path.join(os.homedir(), '.copilot');
}

/** The folders Copilot CLI's config lists as trusted; none when it has no config or it does not parse. */
function trustedFolders(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  // The file is JSON with `//` comment lines at its head.
  const json = text
    .split('\n')
    .filter(line => !line.trimStart().startsWith('//'))
    .join('\n');
  let config: unknown;
  try {
    config = JSON.parse(json);
  } catch {
    return [];
  }
  if (typeof config !== 'object' || config === null) return [];
  const out: string[] = [];
  for (const key of ['trustedFolders', 'trusted_folders']) {
    const list = (config as Record<string, unknown>)[key];
    if (Array.isArray(list)) for (const f of list) if (typeof f === 'string' && path.isAbsolute(f)) out.push(f);
  }
  return out;
}

export function copilotFolderTrust(root: string, env: NodeJS.ProcessEnv = process.env): CopilotFolderTrust {
  const file = path.join(copilotHome(env), 'config.json');
  // Compared as written, links not followed: a folder trusted through a symbolic link may not be the one Copilot
  // CLI compares, and a wrong "trusted" would hide hooks that do not run (a wrong "untrusted" only warns).
  const repo = path.resolve(root);
  const trusted = trustedFolders(file).some(f => {
    const folder = path.resolve(f);
    return repo === folder || repo.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
  });
  if (trusted) return { state: 'trusted' };
  return {
    state: 'untrusted',
    message: `Copilot CLI runs this repository's hooks only in a folder you trusted: start copilot in ${root} and choose to trust the folder (it records that in ${file}), or install for yourself with --user`,
  };
}
