import * as path from 'node:path';
import { AGENTS, type AgentName } from '../../core/attribution/events';
import { PRODUCT } from '../../core/product';
import {
  agentHooksStatus,
  detectAgents,
  installAgentHooks,
  uninstallAgentHooks,
  agentHookCommandLine,
  type AgentConfigOptions,
  type AgentHooksResult,
  type AgentHooksStatus,
} from '../../io/agents/config-files';
import { codexHookTrust, type CodexTrust } from '../../io/agents/codex-trust';
import { copilotFolderTrust, type CopilotFolderTrust } from '../../io/agents/copilot-trust';
import { toolVersion } from '../version';
import { launcherPath, writeLauncher } from '../../io/git/hooks';
import { locateRepository } from '../../io/git/repository';
import type { Command, CommandContext } from '../command';
import { EnvironmentError, ExitCode, UsageError } from '../exit';
import { parseOptions } from '../parse-args';

const help = `Usage: ${PRODUCT.cli} agents install|uninstall|status [AGENT...] [--user|--project] [--json]

Writes (or removes) our entries in coding agents' hook configurations, so each agent tells us which files its
tools write: AGENT is ${AGENTS.join(', ')}. Without AGENT: install and status take the agents whose
configuration folder exists; uninstall takes them all.

  --user      the agent's configuration in your home folder (default): every repository
  --project   the repository's own configuration (.claude/, .codex/, .gemini/, .qwen/, .cursor/,
              .clinerules/hooks/, .github/hooks/, .opencode/plugins/), which you may commit for your team
  --json      print the results as JSON

VS Code's agent and Copilot CLI read one file (.github/hooks/ or ~/.copilot/hooks/ai-provenance.json): one
entry serves both. Codex runs hooks it trusts (install asks Codex to trust ours); Copilot CLI runs a repository's
hooks only in a folder you trusted (status says whether this one is). OpenCode gets a plugin file of ours. In
your home, CLAUDE_CONFIG_DIR, CODEX_HOME, COPILOT_HOME and XDG_CONFIG_HOME move the agents' folders as they do for
the agents.

Entries are merged into what the files hold: your other settings and hooks stay as they are, installing twice
is installing once, the original file is kept as <file>.ai-provenance.bak before our first change, and uninstall
removes only our entries. A configuration that does not parse is left untouched and reported (exit code 3).
The entries run the stable launcher ${launcherPath().replace(process.env.HOME ?? '\0', '~')}, which install keeps pointing at this CLI.
`;

function parseAgents(names: string[]): AgentName[] {
  for (const n of names) {
    if (!(AGENTS as readonly string[]).includes(n))
      throw new UsageError(`unknown agent "${n}"; agents: ${AGENTS.join(', ')}`);
  }
  return [...new Set(names)] as AgentName[];
}

function show(home: string, file: string): string {
  return home && file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}

function report(results: AgentHooksResult[], context: CommandContext, json: boolean): ExitCode {
  const home = process.env.HOME ?? '';
  if (json) context.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    for (const r of results) {
      if (r.outcome === 'refused') continue;
      context.stdout.write(
        `${r.agent}: ${r.outcome} ${show(home, r.file)}${r.backup ? ` (original kept as ${show(home, r.backup)})` : ''}\n`,
      );
      for (const note of r.notes ?? []) context.stdout.write(`  note: ${note}\n`);
    }
  }
  const refusals = results.filter(r => r.outcome === 'refused');
  if (refusals.length > 0)
    throw new EnvironmentError(refusals.map(r => `${r.agent}: ${r.message ?? 'refused'}`).join('\n'));
  return ExitCode.Ok;
}

export const agentsCommand: Command = {
  name: 'agents',
  summary:
    "install or uninstall our hooks in coding agents' configurations (Claude Code, Codex, Gemini CLI, Copilot CLI, OpenCode, Qwen Code, Cursor, Cline, VS Code)",
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const parsed = parseOptions('agents', args, { flags: { user: {}, project: {}, json: {} } }, true);
    const [action, ...names] = parsed.positional;
    if (action !== 'install' && action !== 'uninstall' && action !== 'status') {
      throw new UsageError(`agents takes install, uninstall or status${action ? `, not ${action}` : ''}`);
    }
    if (parsed.flags.has('user') && parsed.flags.has('project'))
      throw new UsageError('give --user or --project, not both');
    const scope = parsed.flags.has('project') ? 'project' : 'user';
    const options: AgentConfigOptions = { scope };
    if (scope === 'project') options.root = (await locateRepository(context.cwd)).root;
    const json = parsed.flags.has('json');
    let agents = parseAgents(names);
    if (agents.length === 0) {
      agents = action === 'uninstall' ? [...AGENTS] : detectAgents(options);
      if (agents.length === 0) {
        throw new UsageError(
          `found no agent configuration folder for the ${scope} scope; name the agents: ${PRODUCT.cli} agents ${action} ${AGENTS.join(' ')}`,
        );
      }
    }
    // Codex runs a hook only once it is trusted: ask Codex (and, on install, trust ours through it).
    const codexTrust = async (launcher: string, file: string, trust: boolean): Promise<CodexTrust> =>
      codexHookTrust({
        file,
        cwd:
          options.root ??
          (await locateRepository(context.cwd).then(
            l => l.root,
            () => context.cwd,
          )),
        command: agentHookCommandLine(launcher, 'codex'),
        trust,
        scope,
        env: process.env,
        clientVersion: toolVersion(),
        logger: context.logger,
      });
    // Copilot CLI runs a repository's hooks only in a folder the person trusted: say so (the decision is theirs).
    const copilotTrust = (agent: AgentName): CopilotFolderTrust | undefined =>
      agent === 'copilot-cli' && options.root !== undefined ? copilotFolderTrust(options.root) : undefined;
    if (action === 'status') {
      const status: (AgentHooksStatus & { trust?: CodexTrust | CopilotFolderTrust })[] = agentHooksStatus(agents, {
        ...options,
        launcher: launcherPath(),
      });
      for (const s of status) {
        if (s.agent === 'codex' && s.state === 'installed') s.trust = await codexTrust(launcherPath(), s.file, false);
        const folder = s.state === 'installed' ? copilotTrust(s.agent) : undefined;
        if (folder) s.trust = folder;
      }
      if (json) context.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      else
        for (const s of status) {
          const by = s.agent === 'codex' ? 'trusted by Codex' : 'in a folder Copilot CLI trusts';
          const trust = s.trust ? `, ${s.trust.state === 'trusted' ? by : `not running: ${s.trust.message}`}` : '';
          context.stdout.write(`${s.agent}: ${s.state} ${s.file}${s.message ? ` (${s.message})` : ''}${trust}\n`);
        }
      return ExitCode.Ok;
    }
    if (action === 'uninstall') return report(uninstallAgentHooks(agents, options), context, json);
    const launcher = writeLauncher({ node: process.execPath, cli: path.resolve(__filename) });
    const results: (AgentHooksResult & { trust?: CodexTrust | CopilotFolderTrust })[] = installAgentHooks(agents, {
      ...options,
      launcher,
    });
    for (const r of results) {
      const folder = r.outcome !== 'refused' ? copilotTrust(r.agent) : undefined;
      if (folder) {
        r.trust = folder;
        if (folder.message) r.notes = [...(r.notes ?? []), `not running yet: ${folder.message}`];
      }
      if (r.agent !== 'codex' || r.outcome === 'refused') continue;
      r.trust = await codexTrust(launcher, r.file, true);
      r.notes = [
        ...(r.notes ?? []),
        r.trust.state === 'trusted' ? 'trusted by Codex: it runs our hooks' : `not running yet: ${r.trust.message}`,
      ];
    }
    return report(results, context, json);
  },
};
