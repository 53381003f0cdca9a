import { HOOK_AGENTS, type AgentName } from '../../core/agents/table';
import type { Logger } from '../../core/log';
import { printable } from '../../core/review/packet';
import { unfinishedShells, type UnfinishedShell } from './capture';
import type { RepositoryLocation } from '../git/repository';

/** How a person recognises an unfinished shell command: whose, what (cut short, every character visible), since when. */
export function describeUnfinishedShell(shell: UnfinishedShell): string {
  const agent = shell.agent !== undefined ? HOOK_AGENTS[shell.agent as AgentName]?.displayName : undefined;
  const raw = shell.command ?? '';
  const command = printable(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
  const what = shell.background ? 'background shell command' : 'shell command';
  return `${agent !== undefined ? `${agent}'s` : "an agent's"} ${what} "${command}" (started ${shell.since}, its end not reported)`;
}

/** Files agents' shell commands may have written with no record of it yet, each with the command that may have. */
export async function unfinishedShellFiles(
  location: RepositoryLocation,
  logger: Logger,
): Promise<{ shells: UnfinishedShell[]; files: Map<string, string> }> {
  const shells = await unfinishedShells(location, logger);
  const files = new Map<string, string>();
  for (const shell of shells) {
    const what = describeUnfinishedShell(shell);
    for (const p of shell.paths) if (!files.has(p)) files.set(p, what);
  }
  return { shells, files };
}
