import { HOOK_AGENTS, type AgentName } from '../../core/agents/table';
import type { Logger } from '../../core/log';
import { printable } from '../../core/review/packet';
import { unfinishedShells, type UnfinishedShell } from './capture';
import type { RepositoryLocation } from '../git/repository';

/** How a person recognises an unfinished shell command: whose, what (cut short, every character visible), since when. */
export function describeUnfinishedShell(shell: UnfinishedShell): string {
  const agent = shell.agent !== undefined ? HOOK_AGENTS[shell.agent as AgentName]?.displayName : undefined;
  if (shell.lost !== undefined)
    return `${agent !== undefined ? `${agent}'s` : "an agent's"} hook record that could not be read (${printable(shell.lost.slice(0, 200))}; written ${printable(shell.since)})`;
  const raw = shell.command ?? '';
  const command = printable(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
  const what = shell.background ? 'background shell command' : 'shell command';
  return `${agent !== undefined ? `${agent}'s` : "an agent's"} ${what} "${command}" (started ${printable(shell.since)}, its end not reported)`;
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

/**
 * The unfinished shells looked at before ingesting the spool (`before`), joined with those after it, which adds the
 * records ingestion could not read (keepLostRecord): a commit must count those too.
 */
export async function withLostRecords(
  location: RepositoryLocation,
  before: { shells: UnfinishedShell[]; files: Map<string, string> },
  lost: number,
  logger: Logger,
): Promise<{ shells: UnfinishedShell[]; files: Map<string, string> }> {
  if (lost === 0) return before;
  const after = await unfinishedShellFiles(location, logger);
  const seen = new Set(after.shells.map(s => JSON.stringify(s)));
  const files = new Map(before.files);
  for (const [p, what] of after.files) if (!files.has(p)) files.set(p, what);
  return { shells: [...before.shells.filter(s => !seen.has(JSON.stringify(s))), ...after.shells], files };
}
