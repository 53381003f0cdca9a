import { PRODUCT } from '../product';

/**
 * The agent table: everything the product knows about each AI that writes code, in one place. Adding an agent
 * starts here (CONTRIBUTING.md, "A new agent"): its slug in TOOLS (and AGENTS if it has hooks), then a row in
 * TOOL_TABLE (and HOOK_AGENTS); the compiler then points at anything else that needs it. Pure data, no I/O.
 */

/** Tool slugs: what produced AI text. `ai` means an AI we cannot name. Slugs appear in trailers: a contract. */
export const TOOLS = [
  'copilot',
  'claude-code',
  'codex',
  'gemini-cli',
  'cursor',
  'cline',
  'continue',
  'opencode',
  'qwen-code',
  'ai',
] as const;
export type Tool = (typeof TOOLS)[number];

/** The agents whose hooks call `ai-provenance agent-hook <agent>` (docs/formats.md, command line). */
export const AGENTS = [
  'claude-code',
  'codex',
  'gemini-cli',
  'cursor',
  'cline',
  'vscode',
  'copilot-cli',
  'opencode',
  'qwen-code',
] as const;
export type AgentName = (typeof AGENTS)[number];

export interface ToolRow {
  /** What people call it, in messages and the editor. */
  readonly displayName: string;
  /** The agent name of `Assisted-by` trailers (docs/formats.md): no spaces, no colons. A contract. */
  readonly trailerName: string;
  /** `Co-authored-by` identity, for agents whose own commits carry one (written only when the policy opts in). */
  readonly coAuthor?: string;
  /** VS Code extensions (lower-case ids) whose presence says inline suggestions may come from this tool. */
  readonly extensionIds: readonly string[];
}

export const TOOL_TABLE: Readonly<Record<Tool, ToolRow>> = {
  copilot: {
    displayName: 'GitHub Copilot',
    trailerName: 'Copilot',
    coAuthor: 'Copilot <175728472+Copilot@users.noreply.github.com>',
    extensionIds: ['github.copilot', 'github.copilot-chat'],
  },
  'claude-code': {
    displayName: 'Claude Code',
    trailerName: 'Claude',
    coAuthor: 'Claude <noreply@anthropic.com>',
    extensionIds: ['anthropic.claude-code'],
  },
  codex: { displayName: 'Codex', trailerName: 'Codex', extensionIds: ['openai.chatgpt'] },
  'gemini-cli': { displayName: 'Gemini CLI', trailerName: 'Gemini', extensionIds: ['google.geminicodeassist'] },
  cursor: { displayName: 'Cursor', trailerName: 'Cursor', extensionIds: [] },
  cline: { displayName: 'Cline', trailerName: 'Cline', extensionIds: ['saoudrizwan.claude-dev'] },
  continue: { displayName: 'Continue', trailerName: 'Continue', extensionIds: ['continue.continue'] },
  opencode: { displayName: 'OpenCode', trailerName: 'OpenCode', extensionIds: [] },
  'qwen-code': { displayName: 'Qwen Code', trailerName: 'Qwen', extensionIds: [] },
  ai: { displayName: 'an AI assistant', trailerName: 'AI', extensionIds: [] },
};

type Json = Record<string, unknown>;

export interface HookEventSpec {
  readonly event: string;
  /** Tool matcher, where the agent supports one. */
  readonly matcher?: string;
}

/**
 * How an agent's hook configuration holds our entries.
 * - `grouped` JSON: `{ "hooks": { "<Event>": [ { "matcher": "...", "hooks": [ <handler> ] } ] } }`
 * - `flat` JSON: `{ "hooks": { "<event>": [ <handler with its matcher> ] } }`
 * - `executable-files`: one executable file per event, named after it, in a hooks folder (Cline).
 * - `plugin-file`: one plugin module of ours that the agent loads from its plugins folder and that passes each
 *   event to our hook (OpenCode).
 */
export type AgentHookLayout = JsonHookLayout | FilesHookLayout | PluginFileLayout;

export interface JsonHookLayout {
  readonly shape: 'grouped' | 'flat';
  readonly events: readonly HookEventSpec[];
  /** The handler object for our command (without the matcher). */
  handler(command: string): Json;
  /** Top-level keys a file needs (Cursor's `version`); added when absent, never changed. */
  readonly scaffold?: Json;
}

export interface FilesHookLayout {
  readonly shape: 'executable-files';
  /** One file per event, named after it. */
  readonly events: readonly HookEventSpec[];
}

export interface PluginFileLayout {
  readonly shape: 'plugin-file';
  /** The agent's events the plugin passes on. */
  readonly events: readonly HookEventSpec[];
}

/** A path as segments, relative to the home folder (user scope) or the repository root (project scope). */
type Segments = readonly string[];

export interface HookAgentRow {
  readonly displayName: string;
  /** The tool its edits are credited to; undefined when the payload says (VS Code runs several agents). */
  readonly tool?: Tool;
  readonly hooks: AgentHookLayout;
  /** Where our entries go: the configuration file, for `executable-files` the hooks folder, or our plugin file. */
  readonly configPath: { readonly user: Segments; readonly project: Segments };
  /**
   * More places the same entries go in the user scope, for agents whose forms read different ones (the Cline CLI
   * reads ~/.cline/hooks, the Cline extension ~/Documents/Cline/Rules/Hooks).
   */
  readonly moreUserPaths?: readonly Segments[];
  /**
   * An environment variable that moves the agent's folder in the home: when set (absolute), it replaces the first
   * segment of the user-scope paths (`COPILOT_HOME` for `.copilot`, `XDG_CONFIG_HOME` for `.config`).
   */
  readonly homeEnv?: string;
  /** Folders whose presence says the agent is in use, per scope (any one is enough). */
  readonly installedMarks: { readonly user: readonly Segments[]; readonly project: readonly Segments[] };
  /** What else a person must know after install (a feature to enable, a restart). */
  readonly installNote?: string;
  /**
   * The agent whose hook entry this one is: two agents that read one file share one entry (VS Code and Copilot CLI
   * both read `.github/hooks/*.json` and `~/.copilot/hooks/*.json`), so installing both never runs our hook twice.
   * The payload's shape tells the hook which of them called.
   */
  readonly entryOf?: AgentName;
}

/** The agent named in the hook entry an agent's install writes (docs/formats.md, command line). */
export function hookEntryAgent(agent: AgentName): AgentName {
  return HOOK_AGENTS[agent].entryOf ?? agent;
}

const CLAUDE_TOOLS = 'Write|Edit|MultiEdit|NotebookEdit|Bash';
const QWEN_TOOLS = 'edit|write_file|run_shell_command|notebook_edit';
const command = (c: string): Json => ({ type: 'command', command: c, timeout: 10 });
/**
 * The entry VS Code and Copilot CLI share. Copilot CLI's Notification says when a background shell completed and
 * its Stop ends a turn (VS Code's Stop is not a tool call: ignored).
 */
const SHARED_COPILOT_EVENTS = [
  { event: 'PreToolUse' },
  { event: 'PostToolUse' },
  { event: 'Notification' },
  { event: 'Stop' },
];

export const HOOK_AGENTS: Readonly<Record<AgentName, HookAgentRow>> = {
  'claude-code': {
    displayName: 'Claude Code',
    tool: 'claude-code',
    hooks: {
      shape: 'grouped',
      events: [
        { event: 'PreToolUse', matcher: CLAUDE_TOOLS },
        { event: 'PostToolUse', matcher: CLAUDE_TOOLS },
        { event: 'PostToolUseFailure', matcher: 'Bash' },
        // A turn's end: background shell tasks that ended since are attributed then.
        { event: 'Stop' },
      ],
      handler: command,
    },
    configPath: { user: ['.claude', 'settings.json'], project: ['.claude', 'settings.json'] },
    homeEnv: 'CLAUDE_CONFIG_DIR',
    installedMarks: { user: [['.claude']], project: [['.claude']] },
  },
  codex: {
    displayName: 'Codex',
    tool: 'codex',
    hooks: {
      shape: 'grouped',
      events: [
        { event: 'PreToolUse', matcher: 'Bash|apply_patch' },
        { event: 'PostToolUse', matcher: 'Bash|apply_patch' },
      ],
      handler: command,
    },
    configPath: { user: ['.codex', 'hooks.json'], project: ['.codex', 'hooks.json'] },
    homeEnv: 'CODEX_HOME',
    installedMarks: { user: [['.codex']], project: [['.codex']] },
  },
  'gemini-cli': {
    displayName: 'Gemini CLI',
    tool: 'gemini-cli',
    hooks: {
      shape: 'grouped',
      events: [
        { event: 'BeforeTool', matcher: 'write_file|replace|run_shell_command' },
        { event: 'AfterTool', matcher: 'write_file|replace|run_shell_command' },
        // A turn's end: shells it moved to the background that ended since are attributed then.
        { event: 'AfterAgent' },
      ],
      handler: c => ({
        name: PRODUCT.cli,
        type: 'command',
        command: c,
        timeout: 10000,
        description: 'AI Provenance: records the files the agent writes',
      }),
    },
    configPath: { user: ['.gemini', 'settings.json'], project: ['.gemini', 'settings.json'] },
    installedMarks: { user: [['.gemini']], project: [['.gemini']] },
    installNote:
      "Gemini CLI runs hooks by default (0.61 and later; older versions need tools.enableHooks); it works only in a folder you trusted, where it reads the project's .gemini/settings.json",
  },
  cursor: {
    displayName: 'Cursor',
    tool: 'cursor',
    hooks: {
      shape: 'flat',
      scaffold: { version: 1 },
      events: [
        { event: 'afterFileEdit' },
        { event: 'afterTabFileEdit' },
        { event: 'preToolUse', matcher: 'Shell' },
        { event: 'postToolUse', matcher: 'Shell' },
        { event: 'postToolUseFailure', matcher: 'Shell' },
      ],
      handler: c => ({ command: c, timeout: 10 }),
    },
    configPath: { user: ['.cursor', 'hooks.json'], project: ['.cursor', 'hooks.json'] },
    installedMarks: { user: [['.cursor']], project: [['.cursor']] },
    installNote: 'restart Cursor so it loads the hooks',
  },
  cline: {
    displayName: 'Cline',
    tool: 'cline',
    hooks: {
      shape: 'executable-files',
      events: [{ event: 'PreToolUse' }, { event: 'PostToolUse' }],
    },
    configPath: { user: ['Documents', 'Cline', 'Rules', 'Hooks'], project: ['.clinerules', 'hooks'] },
    moreUserPaths: [['.cline', 'hooks']],
    installedMarks: { user: [['Documents', 'Cline'], ['.cline']], project: [['.clinerules']] },
  },
  vscode: {
    displayName: 'VS Code agent',
    hooks: { shape: 'flat', events: SHARED_COPILOT_EVENTS, handler: command },
    configPath: {
      user: ['.copilot', 'hooks', `${PRODUCT.cli}.json`],
      project: ['.github', 'hooks', `${PRODUCT.cli}.json`],
    },
    installedMarks: { user: [['.copilot'], ['.vscode', 'extensions']], project: [['.github', 'hooks']] },
    installNote: 'VS Code agent hooks are a preview (1.109 and later); Copilot CLI reads this file too',
  },
  'qwen-code': {
    displayName: 'Qwen Code',
    tool: 'qwen-code',
    hooks: {
      shape: 'grouped',
      events: [
        { event: 'PreToolUse', matcher: QWEN_TOOLS },
        { event: 'PostToolUse', matcher: QWEN_TOOLS },
        { event: 'PostToolUseFailure', matcher: QWEN_TOOLS },
        { event: 'Stop' },
      ],
      handler: command,
    },
    configPath: { user: ['.qwen', 'settings.json'], project: ['.qwen', 'settings.json'] },
    installedMarks: { user: [['.qwen']], project: [['.qwen']] },
  },
  opencode: {
    displayName: 'OpenCode',
    tool: 'opencode',
    hooks: { shape: 'plugin-file', events: [{ event: 'tool.execute.before' }, { event: 'tool.execute.after' }] },
    configPath: {
      user: ['.config', 'opencode', 'plugins', `${PRODUCT.cli}.js`],
      project: ['.opencode', 'plugins', `${PRODUCT.cli}.js`],
    },
    homeEnv: 'XDG_CONFIG_HOME',
    installedMarks: { user: [['.config', 'opencode']], project: [['.opencode']] },
    installNote: 'OpenCode loads plugins when it starts: restart it',
  },
  'copilot-cli': {
    displayName: 'Copilot CLI',
    tool: 'copilot',
    hooks: { shape: 'flat', events: SHARED_COPILOT_EVENTS, handler: command },
    configPath: {
      user: ['.copilot', 'hooks', `${PRODUCT.cli}.json`],
      project: ['.github', 'hooks', `${PRODUCT.cli}.json`],
    },
    installedMarks: { user: [['.copilot']], project: [['.github', 'hooks']] },
    homeEnv: 'COPILOT_HOME',
    entryOf: 'vscode',
    installNote:
      "Copilot CLI runs a repository's hooks (.github/hooks) only in a folder you trusted, and your own (~/.copilot/hooks) everywhere; VS Code's agent reads the same entry",
  },
};

/** The tool whose VS Code extension is installed, when exactly one is; else `ai` (an AI we cannot name). */
export function toolFromExtensions(installedIds: Iterable<string>): Tool {
  const found = new Set<Tool>();
  for (const id of installedIds) {
    const lower = id.toLowerCase();
    for (const tool of TOOLS) if (TOOL_TABLE[tool].extensionIds.includes(lower)) found.add(tool);
  }
  return found.size === 1 ? [...found][0]! : 'ai';
}
