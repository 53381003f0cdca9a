import * as vscode from 'vscode';
import { AGENTS, HOOK_AGENTS, type AgentName } from '../../core/agents/table';
import type { Logger } from '../../core/log';
import {
  agentHooksStatus,
  detectAgents,
  installAgentHooks,
  uninstallAgentHooks,
  type AgentHooksResult,
  type AgentScope,
} from '../../io/agents/config-files';
import { launcherPath } from '../../io/git/hooks';
import { writeLauncher } from '../../io/git/hooks';
import { locateRepository } from '../../io/git/repository';

const label = (agent: AgentName): string => HOOK_AGENTS[agent].displayName;

/**
 * "Set Up Agent Hooks": the person picks the agents and where (their user settings, or this repository's), is
 * told exactly what will change, and agrees before anything is written. Entries are merged into the agents'
 * own configuration files, with a backup; other hooks and settings stay as they are.
 */
export async function setUpAgentHooks(
  launcherTarget: { node: string; cli: string },
  folder: string | undefined,
  logger: Logger,
): Promise<AgentHooksResult[] | undefined> {
  const root = folder
    ? await locateRepository(folder).then(
        l => l.root,
        () => undefined,
      )
    : undefined;
  const detected = new Set(detectAgents({ scope: 'user' }));
  const picked = await vscode.window.showQuickPick(
    AGENTS.map(agent => ({
      label: label(agent),
      agent,
      picked: detected.has(agent),
      ...(detected.has(agent) ? { description: vscode.l10n.t('found on this machine') } : {}),
    })),
    { canPickMany: true, title: vscode.l10n.t('Which agents should report what they write to AI Provenance?') },
  );
  if (!picked || picked.length === 0) return undefined;
  const scopes: { label: string; scope: AgentScope }[] = [
    { label: vscode.l10n.t('For me, in every repository (user settings)'), scope: 'user' },
  ];
  if (root)
    scopes.push({
      label: vscode.l10n.t('For everyone working in this repository (project settings, committed)'),
      scope: 'project',
    });
  const where = await vscode.window.showQuickPick(scopes, {
    title: vscode.l10n.t('Where should the hooks be configured?'),
  });
  if (!where) return undefined;
  const agents = picked.map(p => p.agent);
  const yes = vscode.l10n.t('Add the Hooks');
  const consent = await vscode.window.showInformationMessage(
    vscode.l10n.t(
      'AI Provenance will add a hook entry to the configuration of {0} ({1}). The hook records which files the agent writes, locally; it never blocks the agent. A backup of each file is kept, and the command Remove Agent Hooks takes them out again.',
      agents.map(a => label(a)).join(', '),
      where.scope === 'user' ? vscode.l10n.t('user settings') : vscode.l10n.t('this repository'),
    ),
    { modal: true },
    yes,
  );
  if (consent !== yes) return undefined;
  const launcher = writeLauncher(launcherTarget);
  const results = installAgentHooks(agents, { scope: where.scope, launcher, ...(root ? { root } : {}) });
  for (const r of results)
    logger.info(`agent hooks ${r.agent} (${r.scope}): ${r.outcome} ${r.file}${r.message ? ` — ${r.message}` : ''}`);
  const refused = results.filter(r => r.outcome === 'refused');
  const notes = results.flatMap(r => r.notes ?? []);
  if (refused.length)
    void vscode.window.showWarningMessage(
      [
        ...refused.map(r => `${label(r.agent)}: ${r.message}`),
        vscode.l10n.t('Fix or move those files, then run Set Up Agent Hooks again.'),
      ].join('\n'),
    );
  else
    void vscode.window.showInformationMessage(
      [vscode.l10n.t('Agent hooks set up for {0}.', agents.map(a => label(a)).join(', ')), ...notes].join(' '),
    );
  return results;
}

/** "Remove Agent Hooks": takes our entries out of every agent configuration that has them, nothing else. */
export async function removeAgentHooks(
  folder: string | undefined,
  logger: Logger,
): Promise<AgentHooksResult[] | undefined> {
  const root = folder
    ? await locateRepository(folder).then(
        l => l.root,
        () => undefined,
      )
    : undefined;
  const scopes: AgentScope[] = root ? ['user', 'project'] : ['user'];
  const found = scopes.flatMap(scope =>
    agentHooksStatus([...AGENTS], { scope, launcher: launcherPath(), ...(root ? { root } : {}) })
      .filter(s => s.state === 'installed' || s.state === 'outdated')
      .map(s => ({ scope, agent: s.agent })),
  );
  if (found.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No agent hooks of AI Provenance are configured.'));
    return [];
  }
  const yes = vscode.l10n.t('Remove');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Remove the AI Provenance hook entries of {0}? Other hooks and settings stay.',
      found.map(f => `${label(f.agent)} (${f.scope})`).join(', '),
    ),
    { modal: true },
    yes,
  );
  if (answer !== yes) return undefined;
  const results = scopes.flatMap(scope =>
    uninstallAgentHooks(
      found.filter(f => f.scope === scope).map(f => f.agent),
      { scope, ...(root ? { root } : {}) },
    ),
  );
  for (const r of results) logger.info(`agent hooks ${r.agent} (${r.scope}): ${r.outcome} ${r.file}`);
  return results;
}
