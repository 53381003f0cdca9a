import { HOOK_AGENTS, hookEntryAgent, type AgentName, type JsonHookLayout } from './table';

/**
 * Our entries in the agents' JSON hook configurations, merged into whatever the file holds (pure: the file I/O
 * is in src/io/agents/config-files.ts). Every other key and every other hook entry stays as it is; ours are the
 * entries whose command runs `<launcher> agent-hook <agent>` (recognized by `ai-provenance` and
 * `agent-hook <agent>` in the command, so entries written for another launcher path are found and replaced too).
 *
 * Shapes (from each agent's documentation, see test/fixtures/agents/<agent>/README.md):
 * - grouped (Claude Code settings.json, Codex hooks.json, Gemini CLI settings.json):
 *   `{ "hooks": { "<Event>": [ { "matcher": "...", "hooks": [ { "type": "command", "command": "..." } ] } ] } }`
 * - flat (Cursor hooks.json `{ "version": 1, "hooks": { "<event>": [ { "command": "...", "matcher": "..." } ] } }`,
 *   VS Code hook files `{ "hooks": { "<Event>": [ { "type": "command", "command": "..." } ] } }`).
 */

export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
}

type Json = Record<string, unknown>;

/** A JSON hook layout from the agent table, bound to its agent (our entries are recognised by the agent's name). */
export type AgentHookLayout = JsonHookLayout & { readonly agent: AgentName };

/** The agent's JSON hook layout, or undefined when its hooks are not a JSON file (Cline's scripts, OpenCode's plugin). */
export function jsonHookLayout(agent: AgentName): AgentHookLayout | undefined {
  const owner = hookEntryAgent(agent);
  const hooks = HOOK_AGENTS[owner].hooks;
  return hooks.shape === 'executable-files' || hooks.shape === 'plugin-file' ? undefined : { ...hooks, agent: owner };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a command string that runs our hook for `agent` (any launcher path). */
export function isOurCommand(command: unknown, agent: AgentName): boolean {
  if (typeof command !== 'string' || !command.includes('ai-provenance')) return false;
  const escaped = agent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|\\s)agent-hook\\s+['"]?${escaped}['"]?(\\s|$)`).test(command);
}

function isOurHandler(handler: unknown, agent: AgentName): boolean {
  return isObject(handler) && isOurCommand(handler.command, agent);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length && ka.every(k => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The config's `hooks` object (created when absent); throws when the file's shape is not the agent's. */
function hooksOf(root: Json, create: boolean): Json | undefined {
  const hooks = root.hooks;
  if (hooks === undefined) {
    if (!create) return undefined;
    root.hooks = {};
    return root.hooks as Json;
  }
  if (!isObject(hooks)) throw new AgentConfigError('its "hooks" is not an object');
  return hooks;
}

/** Removes our handlers from every event; returns the events whose lists our removal emptied. */
function removeOurs(hooks: Json, layout: AgentHookLayout): string[] {
  const emptied: string[] = [];
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) continue;
    let removed = false;
    const kept: unknown[] = [];
    for (const entry of list) {
      if (layout.shape === 'flat') {
        if (isOurHandler(entry, layout.agent)) removed = true;
        else kept.push(entry);
        continue;
      }
      if (isObject(entry) && Array.isArray(entry.hooks) && entry.hooks.some(h => isOurHandler(h, layout.agent))) {
        removed = true;
        const others = entry.hooks.filter(h => !isOurHandler(h, layout.agent));
        if (others.length > 0) kept.push({ ...entry, hooks: others });
        continue;
      }
      if (isOurHandler(entry, layout.agent)) {
        // A flat entry in a grouped file (VS Code writes and reads both): ours all the same.
        removed = true;
        continue;
      }
      kept.push(entry);
    }
    if (!removed) continue;
    if (kept.length === 0) {
      delete hooks[event];
      emptied.push(event);
    } else {
      hooks[event] = kept;
    }
  }
  return emptied;
}

function checkEventLists(hooks: Json, layout: AgentHookLayout): void {
  for (const { event } of layout.events) {
    const list = hooks[event];
    if (list !== undefined && !Array.isArray(list)) throw new AgentConfigError(`its "hooks.${event}" is not a list`);
  }
}

export interface MergeResult {
  config: Json;
  changed: boolean;
}

/**
 * `config` (a parsed file, or undefined for a file that does not exist) with our entries for `command`: any
 * entry of ours is removed first, then ours are added at the end of each event's list. Throws AgentConfigError
 * when the file's shape is not the agent's (we will not guess where our entry goes).
 */
export function mergeAgentHooks(config: unknown, layout: AgentHookLayout, command: string): MergeResult {
  if (config !== undefined && !isObject(config)) throw new AgentConfigError('it is not a JSON object');
  const before = config ?? {};
  const root = clone(before) as Json;
  for (const [key, value] of Object.entries(layout.scaffold ?? {})) if (!(key in root)) root[key] = value;
  const hooks = hooksOf(root, true)!;
  checkEventLists(hooks, layout);
  removeOurs(hooks, layout);
  for (const spec of layout.events) {
    const list = (hooks[spec.event] as unknown[] | undefined) ?? [];
    const handler = layout.handler(command);
    if (layout.shape === 'grouped')
      list.push(spec.matcher !== undefined ? { matcher: spec.matcher, hooks: [handler] } : { hooks: [handler] });
    else list.push(spec.matcher !== undefined ? { ...handler, matcher: spec.matcher } : handler);
    hooks[spec.event] = list;
  }
  return { config: root, changed: config === undefined || !deepEqual(before, root) };
}

export interface RemoveResult extends MergeResult {
  /** Nothing is left but what we would scaffold: the file can go if we created it. */
  empty: boolean;
}

/** `config` without our entries; lists and a `hooks` object that only our entries filled are removed too. */
export function removeAgentHooks(config: unknown, layout: AgentHookLayout): RemoveResult {
  if (!isObject(config)) throw new AgentConfigError('it is not a JSON object');
  const root = clone(config);
  const hooks = hooksOf(root, false);
  if (hooks) {
    const hadEntries = Object.keys(hooks).length > 0;
    removeOurs(hooks, layout);
    if (hadEntries && Object.keys(hooks).length === 0) delete root.hooks;
  }
  const scaffold = layout.scaffold ?? {};
  const empty = Object.entries(root).every(([k, v]) => k in scaffold && deepEqual(v, scaffold[k]));
  return { config: root, changed: !deepEqual(config, root), empty };
}

export type AgentHookState = 'installed' | 'outdated' | 'missing';

/** Whether the config holds exactly our entries for `command` (installed), some of ours (outdated), or none. */
export function agentHookState(config: unknown, layout: AgentHookLayout, command: string): AgentHookState {
  if (!isObject(config)) return 'missing';
  const hooks = config.hooks;
  if (!isObject(hooks)) return 'missing';
  const any = Object.values(hooks).some(
    list =>
      Array.isArray(list) &&
      list.some(
        e =>
          isOurHandler(e, layout.agent) ||
          (isObject(e) && Array.isArray(e.hooks) && e.hooks.some(h => isOurHandler(h, layout.agent))),
      ),
  );
  if (!any) return 'missing';
  try {
    return mergeAgentHooks(config, layout, command).changed ? 'outdated' : 'installed';
  } catch {
    return 'outdated';
  }
}

/** The indentation a JSON text uses (its first indented line), so a rewrite keeps the file's look. */
export function detectIndent(text: string): string | number {
  const m = /^[{[][^\n]*\n([ \t]+)\S/.exec(text);
  return m ? m[1]! : 2;
}
