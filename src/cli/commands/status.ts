import { printable } from '../../core/review/packet';
import type { CommitAttribution, FileAttribution } from '../../core/commit/attribution';
import type { AiKind, Tool } from '../../core/attribution/origin';
import { PRODUCT } from '../../core/product';
import { sortTools, type AgentModel, type ToolLines } from '../../core/formats/trailers';
import { ingestAgentSpool } from '../../io/agents/ingest';
import { describeUnfinishedShell, unfinishedShellFiles, withLostRecords } from '../../io/agents/unfinished-shells';
import { stagedAttribution } from '../../io/attribution/staged-attribution';
import { openRunsStore } from '../../io/attribution/runs-store';
import { locateRepository } from '../../io/git/repository';
import { commitExists, emptyTree } from '../../io/git/staged';
import { worktreeAttribution } from '../../io/attribution/worktree-attribution';
import type { Command, CommandContext } from '../command';
import { ExitCode } from '../exit';
import { parseOptions } from '../parse-args';

const help = `Usage: ${PRODUCT.cli} status [--json]

AI lines of the changes not yet committed, per file: in the index (what the next commit gets) and in the work
tree (everything changed since HEAD, untracked files included), each line classed a (AI), m (mixed),
u (unknown) or h (human), with the tool, kind and model behind AI lines. Agent hook records waiting in the
spool are ingested first.

Agents' shell commands whose changes are not recorded yet (running in the background, or whose end never came)
are listed: staged files they may have written that hold unknown lines count as skipped at commit.

  --json   print JSON: { ingested, index, worktree, unfinishedShells }, each side { added, ai, mixed, unknown,
           human, tools, agents, files: [{ path, added, ai, mixed, unknown, human, segments: [{ start, end,
           class, tool, kind, model }] }] }, unfinishedShells [{ agent, command, since, background, paths }]
`;

export interface StatusSegment {
  start: number;
  end: number;
  class: 'a' | 'm';
  tool: Tool;
  kind: AiKind;
  model?: string;
}

export interface StatusFile {
  path: string;
  added: number;
  ai: number;
  mixed: number;
  unknown: number;
  human: number;
  segments: StatusSegment[];
}

export interface StatusSide {
  added: number;
  ai: number;
  mixed: number;
  unknown: number;
  human: number;
  tools: ToolLines[];
  agents: AgentModel[];
  files: StatusFile[];
}

function fileStatus(file: FileAttribution): StatusFile {
  const count = (cls: string): number => file.added.filter(l => l.cls === cls).length;
  const segments: StatusSegment[] = [];
  for (const line of file.added) {
    if ((line.cls !== 'a' && line.cls !== 'm') || !line.origin) continue;
    const last = segments[segments.length - 1];
    const o = line.origin;
    if (
      last &&
      last.end === line.line - 1 &&
      last.class === line.cls &&
      last.tool === o.tool &&
      last.kind === o.kind &&
      last.model === o.model
    ) {
      last.end = line.line;
      continue;
    }
    const segment: StatusSegment = { start: line.line, end: line.line, class: line.cls, tool: o.tool, kind: o.kind };
    if (o.model !== undefined) segment.model = o.model;
    segments.push(segment);
  }
  const ai = count('a');
  const mixed = count('m');
  const unknown = count('u');
  return {
    path: file.path,
    added: file.added.length,
    ai,
    mixed,
    unknown,
    human: file.added.length - ai - mixed - unknown,
    segments,
  };
}

function side(c: CommitAttribution): StatusSide {
  const { added, ai, mixed, unknown } = c.attribution;
  return {
    added,
    ai,
    mixed,
    unknown,
    human: added - ai - mixed - unknown,
    tools: sortTools(c.attribution.tools),
    agents: c.agents,
    files: c.files.map(fileStatus).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

function describe(title: string, s: StatusSide): string {
  const lines = [
    `${title}: ${s.added} added line(s): ${s.ai} ai, ${s.mixed} mixed, ${s.unknown} unknown, ${s.human} human`,
  ];
  for (const f of s.files) {
    const parts = f.segments.map(
      g =>
        `${g.tool}/${g.kind}${g.model ? ` (${g.model})` : ''} ${g.class === 'm' ? 'mixed ' : ''}line${g.start === g.end ? ` ${g.start}` : `s ${g.start}-${g.end}`}`,
    );
    lines.push(
      `  ${f.path}: +${f.added}, ai ${f.ai}, mixed ${f.mixed}, unknown ${f.unknown}${parts.length ? `; ${parts.join(', ')}` : ''}`,
    );
  }
  return lines.join('\n');
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'AI lines in the index and the work tree, per file',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const options = parseOptions('status', args, { flags: { json: {} } });
    const location = await locateRepository(context.cwd);
    // Before the spool, as the commit hook does (hook.ts).
    const before = await unfinishedShellFiles(location, context.logger);
    const ingested = await ingestAgentSpool(location, context.logger);
    const unfinished = await withLostRecords(location, before, ingested.lost, context.logger);
    const store = openRunsStore(location, context.logger);
    const root = location.root;
    const base = (await commitExists(root, 'HEAD')) ? 'HEAD' : await emptyTree(root);
    const index = side(await stagedAttribution(store, root, base, context.logger, { unfinished: unfinished.files }));
    const worktree = side(await worktreeAttribution(store, root, base, context.logger));
    if (options.flags.has('json')) {
      const out = {
        ingested: { records: ingested.records, files: ingested.files, problems: ingested.problems },
        index,
        worktree,
        unfinishedShells: unfinished.shells,
      };
      context.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      const baseName = base === 'HEAD' ? 'HEAD' : 'the empty tree';
      if (ingested.records > 0) context.stdout.write(`ingested ${ingested.records} agent hook record(s)\n`);
      context.stdout.write(
        `${describe(`index (staged) against ${baseName}`, index)}\n${describe(`work tree against ${baseName}`, worktree)}\n`,
      );
      for (const shell of unfinished.shells)
        context.stdout.write(
          `${describeUnfinishedShell(shell)}: a commit of ${shell.paths.length === 0 ? 'files it writes' : shell.paths.map(printable).join(', ')} with unknown lines asks for review\n`,
        );
    }
    return ExitCode.Ok;
  },
};
