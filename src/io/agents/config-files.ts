import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  jsonHookLayout,
  type AgentHookLayout,
  AgentConfigError,
  agentHookState,
  detectIndent,
  mergeAgentHooks,
  removeAgentHooks,
  type AgentHookState,
} from '../../core/agents/hook-config';
import { AGENTS, HOOK_AGENTS, hookEntryAgent, type AgentName } from '../../core/agents/table';
import { OPENCODE_MARKER, opencodePlugin } from './opencode-plugin';
import { PRODUCT } from '../../core/product';
import { shQuote } from '../git/hooks';
import { readTextIfExists } from '../store/files';
import { writeFileAtomicSync } from '../store/atomic-file';

/**
 * Our entries in each agent's user or project hook configuration (docs/formats.md, command line: `agents install`).
 * The CLI calls these, and the extension calls them after asking the person's consent.
 *
 * Locations (from the agents' documentation):
 * | agent       | user                                   | project                              |
 * | claude-code | ~/.claude/settings.json                | <repo>/.claude/settings.json         |
 * | codex       | ~/.codex/hooks.json                    | <repo>/.codex/hooks.json             |
 * | gemini-cli  | ~/.gemini/settings.json                | <repo>/.gemini/settings.json         |
 * | cursor      | ~/.cursor/hooks.json                   | <repo>/.cursor/hooks.json            |
 * | cline       | ~/Documents/Cline/Rules/Hooks/<Hook>   | <repo>/.clinerules/hooks/<Hook>      |
 * | vscode      | ~/.copilot/hooks/ai-provenance.json    | <repo>/.github/hooks/ai-provenance.json |
 *
 * JSON files are merged (see src/core/agents/hook-config.ts), written atomically, with a copy of the original kept as
 * `<file>.ai-provenance.bak` before our first change. A file that does not parse, or whose shape is not the
 * agent's, is refused and left untouched. Cline's hooks are executable files named after the hook: ours is a
 * small marked script; someone else's file of the same name is refused, never replaced.
 */

export type AgentScope = 'user' | 'project';

export interface AgentConfigOptions {
  scope: AgentScope;
  /** The repository's top folder: required for the project scope. */
  root?: string;
  /** The home folder (default: the user's). */
  home?: string;
}

export interface AgentInstallOptions extends AgentConfigOptions {
  /** The stable launcher the hook command runs (src/io/git/hooks.ts launcherPath). */
  launcher: string;
}

export type AgentHooksOutcome = 'created' | 'updated' | 'unchanged' | 'removed' | 'absent' | 'refused';

export interface AgentHooksResult {
  agent: AgentName;
  scope: AgentScope;
  /** The configuration file (for Cline, the hooks folder). */
  file: string;
  outcome: AgentHooksOutcome;
  /** Where the original was copied before our first change. */
  backup?: string;
  /** For `refused`: what is wrong and what the person can do. */
  message?: string;
  /** What else the person needs to know (a feature flag to enable, a restart). */
  notes?: string[];
}

export const BACKUP_SUFFIX = '.ai-provenance.bak';
const CLINE_HOOKS = HOOK_AGENTS.cline.hooks.events.map(e => e.event);
const CLINE_MARKER = '# ai-provenance: managed by AI Provenance';

/** The command an agent's hook entry runs. */
export function agentHookCommandLine(launcher: string, agent: AgentName): string {
  return `${shQuote(launcher)} agent-hook ${hookEntryAgent(agent)}`;
}

function base(options: AgentConfigOptions): string {
  if (options.scope === 'project') {
    if (!options.root) throw new AgentConfigError('the project scope needs the repository folder');
    return options.root;
  }
  return options.home ?? os.homedir();
}

/** Where an agent's hook configuration lives for a scope (for Cline: the hooks folder). From the agent table. */
export function agentConfigFile(agent: AgentName, options: AgentConfigOptions): string {
  return inHome(options, HOOK_AGENTS[agent].configPath[options.scope], agent);
}

/**
 * A path of the agent table in the scope's folder. In the home folder, an agent whose folder an environment
 * variable moves (its `homeEnv`: `CODEX_HOME`, `COPILOT_HOME`, `XDG_CONFIG_HOME`...) has it there, as the agent reads it.
 */
function inHome(options: AgentConfigOptions, segments: readonly string[], agent: AgentName): string {
  const name = HOOK_AGENTS[agent].homeEnv;
  const moved = name !== undefined ? process.env[name] : undefined;
  if (options.scope === 'user' && options.home === undefined && moved && path.isAbsolute(moved))
    return path.join(moved, ...segments.slice(1));
  return path.join(base(options), ...segments);
}

/** Agents that look installed for a scope: one of their marker folders (agent table) exists. */
export function detectAgents(options: AgentConfigOptions): AgentName[] {
  return AGENTS.filter(agent =>
    HOOK_AGENTS[agent].installedMarks[options.scope].some(m => fs.existsSync(inHome(options, m, agent))),
  );
}

/** The agent's JSON hook layout; only called for agents whose hooks are a JSON file. */
function jsonLayout(agent: AgentName): AgentHookLayout {
  const layout = jsonHookLayout(agent);
  if (!layout) throw new AgentConfigError(`${HOOK_AGENTS[agent].displayName}'s hooks are not a JSON file`);
  return layout;
}

/** Writes atomically, keeping an existing file's mode (a new file gets `mode`, else the usual 0644). */
function writeAtomic(file: string, text: string, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, text, { mode: mode ?? 0o644, keepMode: true });
}

/** Copies the original before our first change; returns where, when a copy exists. */
function backup(file: string): string | undefined {
  const copy = file + BACKUP_SUFFIX;
  if (fs.existsSync(copy)) return copy;
  if (!fs.existsSync(file)) return undefined;
  fs.copyFileSync(file, copy);
  return copy;
}

function parseConfig(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AgentConfigError(
      `${file} is not valid JSON (${(error as Error).message}); it was left as it is. Fix it, or add our hook entry by hand`,
    );
  }
}

function serialize(config: unknown, original: string | undefined): string {
  const text = JSON.stringify(config, null, original !== undefined ? detectIndent(original) : 2);
  return original === undefined || original.endsWith('\n') ? `${text}\n` : text;
}

function refused(agent: AgentName, options: AgentConfigOptions, file: string, error: unknown): AgentHooksResult {
  const message =
    error instanceof AgentConfigError && !error.message.startsWith(file)
      ? `${file}: ${error.message}; it was left as it is`
      : (error as Error).message;
  return { agent, scope: options.scope, file, outcome: 'refused', message };
}

function clineScript(launcher: string): string {
  const q = shQuote(launcher);
  return `#!/bin/sh
${CLINE_MARKER}; '${PRODUCT.cli} agents uninstall cline' removes this file.
# Records the files Cline's tools write (payload on stdin); prints nothing and always exits 0.
if [ -x ${q} ]; then ${q} agent-hook cline; else cat >/dev/null; fi
exit 0
`;
}

/** Cline's hooks folders for the scope: the one the agent table names, and in the user scope the CLI's too. */
function clineDirs(options: AgentConfigOptions): string[] {
  const dirs = [agentConfigFile('cline', options)];
  if (options.scope === 'user')
    for (const more of HOOK_AGENTS.cline.moreUserPaths ?? []) dirs.push(inHome(options, more, 'cline'));
  return dirs;
}

function installCline(options: AgentInstallOptions): AgentHooksResult {
  const dirs = clineDirs(options);
  const script = clineScript(options.launcher);
  const outcomes: AgentHooksOutcome[] = [];
  const problems: string[] = [];
  for (const dir of dirs)
    for (const hook of CLINE_HOOKS) {
      const file = path.join(dir, hook);
      const existing = readTextIfExists(file);
      if (existing !== undefined && !existing.includes(CLINE_MARKER)) {
        problems.push(
          `${file} is someone else's hook; it was left as it is. Have it pass its standard input to: ${agentHookCommandLine(options.launcher, 'cline')}`,
        );
        continue;
      }
      if (existing === script) {
        outcomes.push('unchanged');
        continue;
      }
      writeAtomic(file, script, 0o755);
      outcomes.push(existing === undefined ? 'created' : 'updated');
    }
  const file = dirs[0]!;
  if (problems.length > 0)
    return { agent: 'cline', scope: options.scope, file, outcome: 'refused', message: problems.join('\n') };
  const outcome = outcomes.includes('created') ? 'created' : outcomes.includes('updated') ? 'updated' : 'unchanged';
  const result: AgentHooksResult = { agent: 'cline', scope: options.scope, file, outcome };
  if (dirs.length > 1) result.notes = [`also in ${dirs.slice(1).join(', ')}, which the Cline CLI reads`];
  return result;
}

function uninstallCline(options: AgentConfigOptions): AgentHooksResult {
  const dirs = clineDirs(options);
  let removed = false;
  for (const dir of dirs)
    for (const hook of CLINE_HOOKS) {
      const file = path.join(dir, hook);
      const existing = readTextIfExists(file);
      if (existing !== undefined && existing.includes(CLINE_MARKER)) {
        fs.rmSync(file, { force: true });
        removed = true;
      }
    }
  return { agent: 'cline', scope: options.scope, file: dirs[0]!, outcome: removed ? 'removed' : 'absent' };
}

/** Our plugin file (OpenCode): written whole, never over a file that is not ours. */
function installPluginFile(agent: AgentName, options: AgentInstallOptions): AgentHooksResult {
  const file = agentConfigFile(agent, options);
  const text = opencodePlugin(options.launcher);
  const existing = readTextIfExists(file);
  if (existing !== undefined && !existing.startsWith(OPENCODE_MARKER))
    return {
      agent,
      scope: options.scope,
      file,
      outcome: 'refused',
      message: `${file} is someone else's plugin; it was left as it is. Move it, or have it pass OpenCode's tool events to: ${agentHookCommandLine(options.launcher, agent)}`,
    };
  if (existing === text) return { agent, scope: options.scope, file, outcome: 'unchanged' };
  writeAtomic(file, text);
  return { agent, scope: options.scope, file, outcome: existing === undefined ? 'created' : 'updated' };
}

function uninstallPluginFile(agent: AgentName, options: AgentConfigOptions): AgentHooksResult {
  const file = agentConfigFile(agent, options);
  const existing = readTextIfExists(file);
  if (existing === undefined || !existing.startsWith(OPENCODE_MARKER))
    return { agent, scope: options.scope, file, outcome: 'absent' };
  fs.rmSync(file, { force: true });
  return { agent, scope: options.scope, file, outcome: 'removed' };
}

function pluginFileState(agent: AgentName, options: AgentInstallOptions): AgentHookState {
  const existing = readTextIfExists(agentConfigFile(agent, options));
  if (existing === undefined || !existing.startsWith(OPENCODE_MARKER)) return 'missing';
  return existing === opencodePlugin(options.launcher) ? 'installed' : 'outdated';
}

/** Writes our hook entries into each agent's configuration. Never throws for one agent's file: see `outcome`. */
export function installAgentHooks(agents: readonly AgentName[], options: AgentInstallOptions): AgentHooksResult[] {
  return agents.map(agent => {
    const file = agentConfigFile(agent, options);
    try {
      const shape = HOOK_AGENTS[agent].hooks.shape;
      const result =
        agent === 'cline'
          ? installCline(options)
          : shape === 'plugin-file'
            ? installPluginFile(agent, options)
            : installJson(agent, file, options);
      const note = HOOK_AGENTS[agent].installNote;
      if (note && result.outcome !== 'refused') result.notes = [...(result.notes ?? []), note];
      return result;
    } catch (error) {
      return refused(agent, options, file, error);
    }
  });
}

function installJson(agent: Exclude<AgentName, 'cline'>, file: string, options: AgentInstallOptions): AgentHooksResult {
  const layout = jsonLayout(agent);
  const original = readTextIfExists(file);
  const config = original === undefined ? undefined : parseConfig(file, original);
  const merged = mergeAgentHooks(config, layout, agentHookCommandLine(options.launcher, agent));
  const result: AgentHooksResult = { agent, scope: options.scope, file, outcome: 'unchanged' };
  if (!merged.changed) return result;
  const copy = backup(file);
  if (copy) result.backup = copy;
  writeAtomic(file, serialize(merged.config, original));
  result.outcome = original === undefined ? 'created' : 'updated';
  return result;
}

/** Removes exactly our entries from each agent's configuration. */
export function uninstallAgentHooks(agents: readonly AgentName[], options: AgentConfigOptions): AgentHooksResult[] {
  return agents.map(agent => {
    const result = uninstallOne(agent, options);
    // One entry serves agents that read one file: removing it stops them all; say so.
    const owner = hookEntryAgent(agent);
    const sharing = AGENTS.filter(a => a !== agent && hookEntryAgent(a) === owner);
    if (result.outcome === 'removed' && sharing.length > 0)
      result.notes = [
        `${sharing.map(a => HOOK_AGENTS[a].displayName).join(' and ')} ran the same entry and no longer records either`,
      ];
    return result;
  });
}

function uninstallOne(agent: AgentName, options: AgentConfigOptions): AgentHooksResult {
  const file = agentConfigFile(agent, options);
  try {
    if (agent === 'cline') return uninstallCline(options);
    if (HOOK_AGENTS[agent].hooks.shape === 'plugin-file') return uninstallPluginFile(agent, options);
    const original = readTextIfExists(file);
    if (original === undefined) return { agent, scope: options.scope, file, outcome: 'absent' };
    const removed = removeAgentHooks(parseConfig(file, original), jsonLayout(agent));
    if (!removed.changed) return { agent, scope: options.scope, file, outcome: 'absent' };
    if (removed.empty && !fs.existsSync(file + BACKUP_SUFFIX))
      fs.rmSync(file, { force: true }); // we created it
    else writeAtomic(file, serialize(removed.config, original));
    return { agent, scope: options.scope, file, outcome: 'removed' };
  } catch (error) {
    return refused(agent, options, file, error);
  }
}

export interface AgentHooksStatus {
  agent: AgentName;
  scope: AgentScope;
  file: string;
  state: AgentHookState | 'broken';
  message?: string;
}

/** Whether our entries are in each agent's configuration, and current for this launcher. */
export function agentHooksStatus(agents: readonly AgentName[], options: AgentInstallOptions): AgentHooksStatus[] {
  return agents.map(agent => {
    const file = agentConfigFile(agent, options);
    try {
      if (agent === 'cline') {
        const scripts = clineDirs(options).flatMap(dir => CLINE_HOOKS.map(h => readTextIfExists(path.join(dir, h))));
        const ours = scripts.filter(s => s !== undefined && s.includes(CLINE_MARKER));
        const state: AgentHookState =
          ours.length === 0
            ? 'missing'
            : scripts.every(s => s === clineScript(options.launcher))
              ? 'installed'
              : 'outdated';
        return { agent, scope: options.scope, file, state };
      }
      if (HOOK_AGENTS[agent].hooks.shape === 'plugin-file')
        return { agent, scope: options.scope, file, state: pluginFileState(agent, options) };
      const text = readTextIfExists(file);
      const config = text === undefined ? undefined : parseConfig(file, text);
      return {
        agent,
        scope: options.scope,
        file,
        state: agentHookState(config, jsonLayout(agent), agentHookCommandLine(options.launcher, agent)),
      };
    } catch (error) {
      return { agent, scope: options.scope, file, state: 'broken', message: (error as Error).message };
    }
  });
}
