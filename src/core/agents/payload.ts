import type { AgentCall, AgentPhase, FileEdit, Replacement } from './call';
import { PatchFormatError, parsePatch, parseSearchReplace } from './patch';
import type { AgentName } from '../attribution/events';
import type { AiKind, Tool } from '../attribution/origin';

/**
 * Reads a hook payload exactly as each agent documents it and says what the tool call does to files
 * (an AgentCall), or that it does nothing we attribute (undefined). Pure: the hook, the replay engine and the
 * tests all call this one function. Sources for each shape are listed in test/fixtures/agents/<agent>/README.md.
 *
 * Envelopes:
 * - claude-code, codex: `hook_event_name` PreToolUse | PostToolUse (| PostToolUseFailure), `tool_name`,
 *   `tool_input`, `tool_use_id`, `session_id`, `transcript_path`, `cwd`; Codex adds `model`. A payload in VS Code's
 *   shape (`hookEventName`, `sessionId`) is VS Code running the entry from ~/.claude/settings.json, which it loads
 *   too: it is read as `vscode`.
 * - gemini-cli: `hook_event_name` BeforeTool | AfterTool, `tool_name`, `tool_input`, `tool_response`.
 * - cursor: `hook_event_name` afterFileEdit (`file_path`, `edits`), afterTabFileEdit (kind `inline`), preToolUse |
 *   postToolUse (| postToolUseFailure) with `tool_name`/`tool_input`, beforeShellExecution | afterShellExecution
 *   (`command`); `conversation_id`, `model`, `workspace_roots`.
 * - cline: `hookName` PreToolUse | PostToolUse with `preToolUse`/`postToolUse` { toolName, parameters, success };
 *   the Cline CLI 3: `hookName` tool_call | tool_result with `tool_call`/`tool_result` { id, name, input, output }
 *   (editor `{path, old_text, new_text, insert_line}`, run_commands `{commands}`, apply_patch `{input}`);
 *   `taskId`, `workspaceRoots`.
 * - vscode: `hookEventName` PreToolUse | PostToolUse, `sessionId`, `cwd`, `transcript_path`, `tool_name`,
 *   `tool_input`, `tool_use_id`. The tool is `copilot` only when the payload says the agent is Copilot.
 * - qwen-code: Claude Code's envelope (`hook_event_name` PreToolUse | PostToolUse | PostToolUseFailure,
 *   `session_id`, `transcript_path`, `tool_use_id`, `tool_input`, `tool_response`) with Qwen Code's tools: edit
 *   `{file_path, old_string, new_string, replace_all}`, write_file `{file_path, content}`, run_shell_command
 *   `{command, is_background}`, notebook_edit.
 * - opencode: what our plugin (src/io/agents/opencode-plugin.ts) sends from OpenCode's `tool.execute.before` and
 *   `tool.execute.after`: `hook_event_name` (the hook's name), `session_id`, `call_id`, `tool`, `args` (write
 *   `{filePath, content}`, edit `{filePath, oldString, newString, replaceAll}`, bash `{command}`), `cwd` (the
 *   project folder), `model` (from its chat.params hook).
 * - copilot-cli: Copilot CLI runs the entries of VS Code's hook files and of Claude Code's settings with a payload
 *   of its own: `hook_event_name` PreToolUse | PostToolUse, `session_id`, an ISO `timestamp`, `cwd`, `tool_name`
 *   (Claude's names for its tools: Edit, Write, Bash), `tool_input` in its own fields (`path`, `old_str`,
 *   `new_str`, `file_text`, `command`), `tool_result` { `result_type` }; no transcript and no tool-use id. Whichever
 *   entry it ran, the payload's shape says it is Copilot CLI.
 * - Turn ends, which close background shells' windows (docs/capture.md): Claude Code's Stop (`background_tasks`),
 *   Copilot CLI's Stop (`stop_reason`, its session log as `transcript_path`) and Notification (`notification_type`
 *   shell_completed), Qwen Code's Stop, Gemini CLI's AfterAgent. A shell's post-tool answer says when it goes on in
 *   the background (Claude Code's `backgroundTaskId`; the others in the text their tool gives the model).
 */

export class AgentPayloadError extends Error {
  override readonly name = 'AgentPayloadError';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short identifier-like string (session ids, models, tool ids): one line, bounded. */
function label(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (s === '' || s.length > 300) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return undefined;
  }
  return s;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function requireString(input: Json, keys: readonly string[], tool: string): string {
  for (const k of keys) {
    const v = input[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  throw new AgentPayloadError(`${tool}: tool input has no ${keys.map(k => `"${k}"`).join(' or ')} string`);
}

function requireText(input: Json, key: string, tool: string): string {
  const v = input[key];
  if (typeof v !== 'string') throw new AgentPayloadError(`${tool}: tool input "${key}" must be a string`);
  return v;
}

function shellCommand(input: Json, tool: string): string {
  const v = input.command;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every(x => typeof x === 'string')) return v.join(' ');
  throw new AgentPayloadError(`${tool}: tool input "command" must be a string`);
}

function patchEdits(patch: string, tool: string): FileEdit[] {
  try {
    return parsePatch(patch);
  } catch (error) {
    if (error instanceof PatchFormatError)
      throw new AgentPayloadError(`${tool}: the patch does not parse (${error.message})`);
    throw error;
  }
}

/** What one tool's input does. */
interface ToolEffect {
  edits: FileEdit[];
  shell?: { command: string };
}

const NONE: ToolEffect = { edits: [] };

const writes = (path: string, content: string): ToolEffect => ({ edits: [{ path, op: 'write', content }] });
const replaces = (path: string, replacements: Replacement[]): ToolEffect => ({
  edits: [{ path, op: 'replace', replacements }],
});
const runs = (input: Json, tool: string): ToolEffect => ({ edits: [], shell: { command: shellCommand(input, tool) } });

/** An edit of old text by new; an empty old text creates the file with the new (Gemini CLI, Qwen Code). */
function replacesOrCreates(path: string, oldText: string, newText: string, all: boolean): ToolEffect {
  if (oldText === '') return writes(path, newText);
  return replaces(path, [{ old: oldText, new: newText, ...(all ? { all: true } : {}) }]);
}

/** A non-empty `edits` list of replacements (Claude Code's MultiEdit, OpenCode's multiedit). */
function replacementList(input: Json, oldKey: string, newKey: string, allKey: string, tool: string): Replacement[] {
  const list = input.edits;
  if (!Array.isArray(list) || list.length === 0)
    throw new AgentPayloadError(`${tool}: tool input "edits" must be a non-empty array`);
  return list.map((e, i) => {
    if (!isObject(e)) throw new AgentPayloadError(`${tool}: edits[${i}] must be an object`);
    return replacement(e, oldKey, newKey, `${tool} edits[${i}]`, allKey);
  });
}

/**
 * The tools whose effect on files we know, by the name each agent gives them. Names do not collide in meaning
 * across agents, except Codex's `Edit`/`Write` matcher aliases, which carry a patch instead of Claude's fields.
 */
function toolEffect(tool: string, input: Json): ToolEffect {
  switch (tool) {
    // Claude Code (and VS Code's Claude harness)
    case 'Write':
    case 'Edit':
    case 'MultiEdit': {
      const patch = text(input.command) ?? text(input.patch);
      if (input.file_path === undefined && patch !== undefined && patch.includes('*** Begin Patch'))
        return { edits: patchEdits(patch, tool) };
      const path = requireString(input, ['file_path'], tool);
      if (tool === 'Write') return writes(path, requireText(input, 'content', tool));
      if (tool === 'Edit') return replaces(path, [replacement(input, 'old_string', 'new_string', tool)]);
      return replaces(path, replacementList(input, 'old_string', 'new_string', 'replace_all', tool));
    }
    case 'NotebookEdit':
      return { edits: [{ path: requireString(input, ['notebook_path', 'file_path'], tool), op: 'unknown' }] };
    case 'Bash':
    case 'Shell':
    case 'run_shell_command':
    case 'execute_command':
    case 'run_in_terminal':
      return runs(input, tool);
    // Codex, VS Code, Cline: the patch format
    case 'apply_patch': {
      const patch = text(input.command) ?? text(input.patch) ?? text(input.input);
      if (patch === undefined)
        throw new AgentPayloadError(`${tool}: tool input has no patch ("command", "patch" or "input")`);
      return { edits: patchEdits(patch, tool) };
    }
    // Gemini CLI
    case 'write_file':
      return {
        edits: [
          {
            path: requireString(input, ['file_path', 'path'], tool),
            op: 'write',
            content: requireText(input, 'content', tool),
          },
        ],
      };
    case 'replace': {
      // Every occurrence: allow_multiple (Gemini CLI 0.61), or expected_replacements > 1 (older versions).
      const expected = input.expected_replacements;
      return replacesOrCreates(
        requireString(input, ['file_path', 'path'], tool),
        requireText(input, 'old_string', tool),
        requireText(input, 'new_string', tool),
        input.allow_multiple === true || (typeof expected === 'number' && expected > 1),
      );
    }
    // Cline
    case 'write_to_file':
      return {
        edits: [
          { path: requireString(input, ['path'], tool), op: 'write', content: requireText(input, 'content', tool) },
        ],
      };
    case 'replace_in_file': {
      const path = requireString(input, ['path'], tool);
      try {
        return {
          edits: [
            { path, op: 'replace', replacements: parseSearchReplace(requireText(input, 'diff', tool)), ordered: true },
          ],
        };
      } catch (error) {
        if (error instanceof PatchFormatError)
          throw new AgentPayloadError(`${tool}: the diff does not parse (${error.message})`);
        throw error;
      }
    }
    // VS Code (Copilot's agent tools)
    case 'create_file':
      return {
        edits: [
          { path: requireString(input, ['filePath'], tool), op: 'write', content: requireText(input, 'content', tool) },
        ],
      };
    case 'replace_string_in_file':
      return {
        edits: [
          {
            path: requireString(input, ['filePath'], tool),
            op: 'replace',
            replacements: [replacement(input, 'oldString', 'newString', tool)],
          },
        ],
      };
    case 'multi_replace_string_in_file': {
      const list = input.replacements;
      if (!Array.isArray(list) || list.length === 0)
        throw new AgentPayloadError(`${tool}: tool input "replacements" must be a non-empty array`);
      const byFile = new Map<string, Replacement[]>();
      list.forEach((r, i) => {
        if (!isObject(r)) throw new AgentPayloadError(`${tool}: replacements[${i}] must be an object`);
        const path = requireString(r, ['filePath'], `${tool} replacements[${i}]`);
        const group = byFile.get(path) ?? [];
        group.push(replacement(r, 'oldString', 'newString', `${tool} replacements[${i}]`));
        byFile.set(path, group);
      });
      return { edits: [...byFile].map(([path, replacements]) => ({ path, op: 'replace', replacements })) };
    }
    case 'insert_edit_into_file':
    case 'edit_notebook_file':
      return { edits: [{ path: requireString(input, ['filePath'], tool), op: 'unknown' }] };
    case 'editFiles': {
      const files = input.files;
      if (!Array.isArray(files)) return NONE;
      return {
        edits: files
          .filter((f): f is string => typeof f === 'string' && f !== '')
          .map(path => ({ path, op: 'unknown' as const })),
      };
    }
    default:
      return NONE;
  }
}

function replacement(input: Json, oldKey: string, newKey: string, where: string, allKey = 'replace_all'): Replacement {
  const r: Replacement = { old: requireText(input, oldKey, where), new: requireText(input, newKey, where) };
  if (input[allKey] === true) r.all = true;
  return r;
}

interface Envelope {
  event: string;
  phase: AgentPhase;
  failed?: boolean;
  tool: string;
  input: Json;
  toolUseId?: string;
  session?: string;
  model?: string;
  transcriptPath?: string;
  cwd?: string;
}

function toolInput(payload: Json, key: string, tool: string): Json {
  const input = payload[key];
  if (input === undefined || input === null) return {};
  if (isObject(input)) return input;
  // Cursor's MCP events send tool_input as a JSON string.
  if (typeof input === 'string') {
    try {
      const parsed: unknown = JSON.parse(input);
      if (isObject(parsed)) return parsed;
    } catch {
      // fall through
    }
  }
  throw new AgentPayloadError(`${tool}: "${key}" must be an object`);
}

/** Claude Code, Codex, Gemini CLI and VS Code share this envelope (snake_case or VS Code's camelCase names). */
function toolEnvelope(
  payload: Json,
  phases: Record<string, { phase: AgentPhase; failed?: boolean }>,
  strict: boolean,
  subagentRecord?: (transcript: string, agentId: string, session: string | undefined) => string | undefined,
): Envelope | undefined {
  const event = label(payload.hook_event_name) ?? label(payload.hookEventName);
  if (event === undefined) {
    if (strict) throw new AgentPayloadError('the payload has no "hook_event_name"');
    return undefined;
  }
  const p = phases[event];
  if (!p) return undefined;
  const tool = label(payload.tool_name);
  if (tool === undefined) throw new AgentPayloadError(`${event} payload has no "tool_name"`);
  const env: Envelope = { event, phase: p.phase, tool, input: toolInput(payload, 'tool_input', tool) };
  if (p.failed) env.failed = true;
  const toolUseId = label(payload.tool_use_id);
  if (toolUseId !== undefined) env.toolUseId = toolUseId;
  const session = label(payload.session_id) ?? label(payload.sessionId);
  if (session !== undefined) env.session = session;
  const model = label(payload.model);
  if (model !== undefined) env.model = model;
  const transcript = text(payload.transcript_path);
  if (transcript !== undefined && transcript !== '') env.transcriptPath = transcript;
  // A sub-agent's call names the parent's transcript: where the agent keeps the sub-agent's own, which names its
  // model, is the agent's layout.
  const agentId = label(payload.agent_id);
  if (agentId !== undefined && TASK_ID.test(agentId) && transcript !== undefined && subagentRecord) {
    const record = subagentRecord(transcript, agentId, env.session);
    if (record !== undefined) env.transcriptPath = record;
  }
  const cwd = text(payload.cwd);
  if (cwd !== undefined && cwd !== '') env.cwd = cwd;
  return env;
}

/** Claude Code: `<session transcript without .jsonl>/subagents/agent-<agent_id>.jsonl`. */
function claudeSubagentTranscript(transcript: string, agentId: string): string | undefined {
  return transcript.endsWith('.jsonl')
    ? `${transcript.slice(0, -'.jsonl'.length)}/subagents/agent-${agentId}.jsonl`
    : undefined;
}

/**
 * Qwen Code: `<project>/chats/<session>.jsonl` is the session's; `<project>/subagents/<session>/agent-<agent_id>.meta.json`
 * the sub-agent's record, whose `model` is the one it runs (its transcript names none).
 */
function qwenSubagentRecord(transcript: string, agentId: string, session: string | undefined): string | undefined {
  const m = /^(.*)\/chats\/([A-Za-z0-9_-]{1,128})\.jsonl$/.exec(transcript);
  if (!m || (session !== undefined && m[2] !== session)) return undefined;
  return `${m[1]}/subagents/${m[2]}/agent-${agentId}.meta.json`;
}

const CLAUDE_PHASES = {
  PreToolUse: { phase: 'pre' },
  PostToolUse: { phase: 'post' },
  PostToolUseFailure: { phase: 'post', failed: true },
} as const;
const GEMINI_PHASES = { BeforeTool: { phase: 'pre' }, AfterTool: { phase: 'post' } } as const;

/**
 * VS Code's agent runs Claude Code's hook entries too (`chat.useClaudeHooks`, matchers ignored): its payload is
 * known by the documented camelCase event field, or, as VS Code 1.139 sends it (snake_case like Claude Code's), by
 * its tool-use ids (`call_…__vscode-<n>`) or its transcript in Copilot Chat's storage.
 */
function isVscodePayload(payload: Json): boolean {
  if (payload.hook_event_name === undefined && payload.hookEventName !== undefined) return true;
  const id = text(payload.tool_use_id);
  if (id !== undefined && /__vscode-\d+$/.test(id)) return true;
  const transcript = text(payload.transcript_path);
  return transcript !== undefined && /[\\/]GitHub\.copilot-chat[\\/]transcripts[\\/]/i.test(transcript);
}

/** VS Code names the agent only through its harness; Copilot when the payload says so, else an AI we cannot name. */
function vscodeTool(payload: Json): Tool {
  for (const key of ['harness', 'agentHarness', 'provider', 'agent']) {
    const v = payload[key];
    if (typeof v === 'string' && /copilot/i.test(v)) return 'copilot';
  }
  const transcript = text(payload.transcript_path);
  if (transcript !== undefined && /copilot/i.test(transcript)) return 'copilot';
  return 'ai';
}

/**
 * Copilot CLI's payload for a Claude-format hook entry (see the file's header): its `tool_result.result_type`, its
 * own tool fields under a Claude tool name (`path` with `old_str` or `file_text`), or, for the fields it lacks (no
 * transcript, no tool-use id) an ISO `timestamp` that no other such agent sends without them.
 */
function isCopilotCliPayload(payload: Json): boolean {
  if (typeof payload.hook_event_name !== 'string' || payload.hookEventName !== undefined) return false;
  // Its Stop: the ISO timestamp and a stop reason, its session log for a transcript; its Notification: a type.
  if (payload.hook_event_name === 'Stop')
    return typeof payload.timestamp === 'string' && typeof payload.stop_reason === 'string';
  if (payload.hook_event_name === 'Notification')
    return payload.timestamp !== undefined && typeof payload.notification_type === 'string';
  const result = payload.tool_result;
  if (isObject(result) && typeof result.result_type === 'string') return true;
  const input = payload.tool_input;
  if (
    isObject(input) &&
    input.file_path === undefined &&
    typeof input.path === 'string' &&
    (typeof input.old_str === 'string' || typeof input.file_text === 'string')
  )
    return true;
  return (
    typeof payload.timestamp === 'string' && payload.transcript_path === undefined && payload.tool_use_id === undefined
  );
}

/** Copilot CLI's tools, under the Claude names its hook payloads give them, with its own input fields. */
function copilotCliEffect(tool: string, input: Json): ToolEffect {
  switch (tool) {
    case 'Edit':
    case 'edit':
      return replaces(requireString(input, ['path'], tool), [replacement(input, 'old_str', 'new_str', tool)]);
    case 'Write':
    case 'create':
      return writes(requireString(input, ['path'], tool), requireText(input, 'file_text', tool));
    case 'Bash':
    case 'bash':
      return runs(input, tool);
    case 'apply_patch':
      return toolEffect(tool, input);
    default:
      return NONE;
  }
}

function interpretCopilotCli(payload: Json, strict: boolean): AgentCall | undefined {
  const call = copilotCliCall(payload, strict);
  // A sub-agent's calls name it as their session, and its parent apart: the session (its log, its shells) is the
  // parent's, the sub-agent is who made the call.
  const parent = label(payload.parent_agent_id);
  const agentId = label(payload.agent_id);
  if (call && parent !== undefined && agentId !== undefined && parent !== agentId && TASK_ID.test(parent)) {
    call.session = parent;
    if (TASK_ID.test(agentId)) call.agentId = agentId;
  }
  return call;
}

function copilotCliCall(payload: Json, strict: boolean): AgentCall | undefined {
  if (payload.hook_event_name === 'Stop') return turnEnd('copilot-cli', 'Stop', 'copilot', payload);
  if (payload.hook_event_name === 'Notification') {
    const ended = copilotShellCompleted(payload);
    return ended !== undefined
      ? turnEnd('copilot-cli', 'Notification', 'copilot', payload, { ended: [ended] })
      : undefined;
  }
  const env = toolEnvelope(payload, CLAUDE_PHASES, strict);
  if (!env) return undefined;
  const result = payload.tool_result;
  if (isObject(result) && typeof result.result_type === 'string' && result.result_type !== 'success') env.failed = true;
  const call = fromEnvelope('copilot-cli', env, { tool: 'copilot', kind: 'agent' }, copilotCliEffect);
  const background = call.shell && call.phase === 'post' ? copilotBackground(payload) : undefined;
  if (background) call.background = background;
  return call;
}

function fromEnvelope(
  agent: AgentName,
  env: Envelope,
  origin: { tool: Tool; kind: AiKind },
  effectOf: (tool: string, input: Json) => ToolEffect = toolEffect,
): AgentCall {
  const effect = effectOf(env.tool, env.input);
  const call: AgentCall = { agent, event: env.event, phase: env.phase, tool: env.tool, origin, edits: effect.edits };
  if (effect.shell) call.shell = effect.shell;
  if (env.failed) call.failed = true;
  if (env.toolUseId !== undefined) call.toolUseId = env.toolUseId;
  if (env.session !== undefined) call.session = env.session;
  if (env.model !== undefined) call.model = env.model;
  if (env.transcriptPath !== undefined) call.transcriptPath = env.transcriptPath;
  if (env.cwd !== undefined) call.cwd = env.cwd;
  return call;
}

/**
 * The end of an agent's turn (Claude Code's, Copilot CLI's and Qwen Code's Stop, Gemini CLI's AfterAgent): the
 * background shell tasks of the session that ended since are attributed then. `running` when the agent lists them.
 */
function turnEnd(agent: AgentName, event: string, tool: Tool, payload: Json, stop: AgentCall['stop'] = {}): AgentCall {
  const call: AgentCall = {
    agent,
    event,
    phase: 'post',
    tool: event,
    origin: { tool, kind: 'agent' },
    edits: [],
    stop,
  };
  // Copilot CLI's Notification names the session in VS Code's camelCase.
  const session = label(payload.session_id) ?? label(payload.sessionId);
  if (session !== undefined) call.session = session;
  const cwd = text(payload.cwd);
  if (cwd !== undefined && cwd !== '') call.cwd = cwd;
  const transcript = text(payload.transcript_path);
  if (transcript !== undefined && transcript !== '') call.transcriptPath = transcript;
  return call;
}

/** Claude Code's Stop hook: its `background_tasks` lists the background tasks still running. */
function claudeStop(payload: Json): AgentCall {
  const running: string[] = [];
  const tasks = payload.background_tasks;
  // Without the list, nothing is known of the tasks: none has ended, and the turn is not known to be idle.
  if (!Array.isArray(tasks)) return turnEnd('claude-code', 'Stop', 'claude-code', payload);
  for (const t of tasks)
    if (
      isObject(t) &&
      typeof t.id === 'string' &&
      t.status !== 'completed' &&
      t.status !== 'failed' &&
      t.status !== 'killed'
    )
      running.push(t.id);
  return turnEnd('claude-code', 'Stop', 'claude-code', payload, { running, idle: running.length === 0 });
}

const TASK_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The text a shell tool's post-tool payload gives the model (`tool_result.text_result_for_llm`, Qwen Code's and
 * Gemini CLI's `tool_response.llmContent`), its first and last lines: where the agents say a command goes on.
 * The middle is the command's own output, which must not be able to pass for that.
 */
function resultEnds(payload: Json): { first: string; last: string; whole: string } | undefined {
  const result = payload.tool_result;
  const response = payload.tool_response;
  const value = isObject(result)
    ? result.text_result_for_llm
    : isObject(response)
      ? response.llmContent
      : typeof response === 'string'
        ? response
        : undefined;
  if (typeof value !== 'string') return undefined;
  const lines = value
    .replace(/^\s*<untrusted_context>\s*/, '')
    .replace(/\s*<\/untrusted_context>\s*$/, '')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l !== '');
  return { first: lines[0] ?? '', last: lines[lines.length - 1] ?? '', whole: lines.join('\n') };
}

/**
 * Copilot CLI's shell that goes on after its post-tool hook: `<command started in background with shellId: N>`
 * (async, also `detached background`), or, at the end, `<command with shellId: N is still running after ...` (a
 * sync command past its wait).
 */
function copilotBackground(payload: Json): { taskId: string } | undefined {
  const ends = resultEnds(payload);
  if (!ends) return undefined;
  // Started in the background: that line is the whole answer (a command's own output cannot come before it).
  const started = /^<command started in (?:detached )?background with shellId: ([A-Za-z0-9_-]{1,128})>$/.exec(
    ends.whole,
  );
  if (started) return { taskId: started[1]! };
  // Past its wait: Copilot CLI's line ends the answer, after the output so far.
  const late = /^<(?:detached )?command with shellId: ([A-Za-z0-9_-]{1,128}) is still running\b/.exec(ends.last);
  return late ? { taskId: late[1]! } : undefined;
}

/**
 * Copilot CLI's Notification that a shell completed: `notification_type` shell_completed (or
 * shell_detached_completed) and a message that ends `(shellId: N) has completed ...`. The message starts with the
 * shell's description, the model's words: only the last `(shellId: ...)` is Copilot CLI's.
 */
function copilotShellCompleted(payload: Json): string | undefined {
  const kind = payload.notification_type;
  if (kind !== 'shell_completed' && kind !== 'shell_detached_completed') return undefined;
  const message = text(payload.message) ?? '';
  const ids = [...message.matchAll(/\(shellId: ([A-Za-z0-9_-]{1,128})\)/g)];
  return ids[ids.length - 1]?.[1];
}

/**
 * Qwen Code's `is_background` shell: `Background shell started.`, then `id: <id>`, `pid: <n>`, and the `status file:`
 * where Qwen Code keeps the task's state (JSON with `status` running | completed | failed | cancelled).
 */
function qwenBackground(payload: Json): { taskId: string; pid?: number; statusFile?: string } | undefined {
  // Only a call that asked for the background: a foreground command's answer is its own output, which could say this.
  const input = payload.tool_input;
  if (!isObject(input) || input.is_background !== true) return undefined;
  const ends = resultEnds(payload);
  if (!ends || ends.first !== 'Background shell started.') return undefined;
  const id = /^id: (\S+)$/m.exec(ends.whole)?.[1];
  if (id === undefined || !TASK_ID.test(id)) return undefined;
  const task: { taskId: string; pid?: number; statusFile?: string } = { taskId: id };
  const pid = Number(/^pid: (\d{1,10})$/m.exec(ends.whole)?.[1]);
  if (Number.isSafeInteger(pid) && pid > 1) task.pid = pid;
  const status = /^status file: (\/[^\n]{1,4000}\.status)$/m.exec(ends.whole)?.[1];
  if (status !== undefined) task.statusFile = status;
  return task;
}

/** Gemini CLI's shell moved to the background (`is_background`, or the person's Ctrl+B): `... (PID: <n>) ...`. */
function geminiBackground(payload: Json): { taskId: string; pid: number } | undefined {
  const ends = resultEnds(payload);
  const m = ends && /^Command moved to background \(PID: (\d{1,10})\)/.exec(ends.first);
  const pid = Number(m?.[1]);
  return Number.isSafeInteger(pid) && pid > 1 ? { taskId: `pid-${pid}`, pid } : undefined;
}

function interpretCursor(payload: Json, strict: boolean): AgentCall | undefined {
  const event = label(payload.hook_event_name);
  if (event === undefined) {
    if (strict) throw new AgentPayloadError('the payload has no "hook_event_name"');
    return undefined;
  }
  const base = (phase: AgentPhase, tool: string, kind: AiKind): AgentCall => {
    const call: AgentCall = { agent: 'cursor', event, phase, tool, origin: { tool: 'cursor', kind }, edits: [] };
    const session = label(payload.conversation_id) ?? label(payload.session_id);
    if (session !== undefined) call.session = session;
    const model = label(payload.model);
    if (model !== undefined) call.model = model;
    const transcript = text(payload.transcript_path);
    if (transcript) call.transcriptPath = transcript;
    const toolUseId = label(payload.tool_use_id);
    if (toolUseId !== undefined) call.toolUseId = toolUseId;
    const roots = payload.workspace_roots;
    const cwd = text(payload.cwd) || (Array.isArray(roots) && typeof roots[0] === 'string' ? roots[0] : undefined);
    if (cwd) call.cwd = cwd;
    return call;
  };
  switch (event) {
    case 'afterFileEdit':
    case 'afterTabFileEdit': {
      const tab = event === 'afterTabFileEdit';
      const call = base('post', event, tab ? 'inline' : 'agent');
      const path = requireString(payload, ['file_path'], event);
      const list = payload.edits;
      if (!Array.isArray(list)) throw new AgentPayloadError(`${event}: "edits" must be an array`);
      const replacements = list.map((e, i) => {
        if (!isObject(e)) throw new AgentPayloadError(`${event}: edits[${i}] must be an object`);
        const r = replacement(e, 'old_string', 'new_string', `${event} edits[${i}]`);
        const range = e.range;
        if (isObject(range) && typeof range.start_line_number === 'number' && Number.isInteger(range.start_line_number))
          r.line = range.start_line_number;
        return r;
      });
      call.edits = replacements.length > 0 ? [{ path, op: 'replace', replacements }] : [{ path, op: 'unknown' }];
      return call;
    }
    case 'beforeShellExecution':
    case 'afterShellExecution': {
      const call = base(event === 'beforeShellExecution' ? 'pre' : 'post', 'Shell', 'agent');
      call.shell = { command: shellCommand(payload, event) };
      return call;
    }
    case 'preToolUse':
    case 'postToolUse':
    case 'postToolUseFailure': {
      const tool = label(payload.tool_name);
      if (tool === undefined) throw new AgentPayloadError(`${event} payload has no "tool_name"`);
      const call = base(event === 'preToolUse' ? 'pre' : 'post', tool, 'agent');
      if (event === 'postToolUseFailure') call.failed = true;
      const input = toolInput(payload, 'tool_input', tool);
      // Cursor's file edits are reported by afterFileEdit; its tool hooks matter for the shell.
      if (tool === 'Shell') {
        call.shell = { command: shellCommand(input, tool) };
        const wd = text(input.working_directory);
        if (wd && !text(payload.cwd)) call.cwd = wd;
      }
      return call;
    }
    default:
      return undefined;
  }
}

/** The Cline CLI's own tools (3.x): editor, run_commands; the others are the extension's, read by toolEffect. */
function clineEffect(tool: string, input: Json): ToolEffect {
  switch (tool) {
    case 'editor': {
      const path = requireString(input, ['path'], tool);
      const newText = requireText(input, 'new_text', tool);
      const oldText = input.old_text;
      if (typeof oldText === 'string' && oldText !== '') return replaces(path, [{ old: oldText, new: newText }]);
      // new_text at a line: where the hooks' before and after texts show it, it is the agent's.
      if (input.insert_line !== undefined && input.insert_line !== null)
        return replaces(path, [{ old: '', new: newText }]);
      return writes(path, newText);
    }
    case 'run_commands': {
      const list = input.commands;
      if (!Array.isArray(list) || !list.every(c => typeof c === 'string'))
        throw new AgentPayloadError(`${tool}: tool input "commands" must be an array of strings`);
      return { edits: [], shell: { command: list.join('\n') } };
    }
    default:
      return toolEffect(tool, input);
  }
}

/**
 * Cline's hook payload. The extension (and Cline before 3) names the event `PreToolUse` | `PostToolUse` with
 * `preToolUse` / `postToolUse` { toolName, parameters, success }; the Cline CLI 3 names it `tool_call` |
 * `tool_result` with `tool_call` / `tool_result` { id, name, input, output } (and the old objects too, whose
 * parameters it turns into strings).
 */
function interpretCline(payload: Json, strict: boolean): AgentCall | undefined {
  const event = label(payload.hookName);
  if (event === undefined) {
    if (strict) throw new AgentPayloadError('the payload has no "hookName"');
    return undefined;
  }
  const pre = event === 'PreToolUse' || event === 'tool_call';
  if (!pre && event !== 'PostToolUse' && event !== 'tool_result') return undefined;
  const modern = payload[pre ? 'tool_call' : 'tool_result'];
  let env: Envelope;
  if (isObject(modern)) {
    const tool = label(modern.name);
    if (tool === undefined) throw new AgentPayloadError(`${event} payload has no "${event}.name"`);
    env = { event, phase: pre ? 'pre' : 'post', tool, input: toolInput(modern, 'input', tool) };
    const id = label(modern.id);
    if (id !== undefined) env.toolUseId = id;
    const output = modern.output;
    if (isObject(output) && output.success === false) env.failed = true;
  } else {
    const key = pre ? 'preToolUse' : 'postToolUse';
    const data = payload[key];
    if (!isObject(data)) throw new AgentPayloadError(`${event} payload has no "${key}" object`);
    const tool = label(data.toolName);
    if (tool === undefined) throw new AgentPayloadError(`${event} payload has no "${key}.toolName"`);
    env = { event, phase: pre ? 'pre' : 'post', tool, input: toolInput(data, 'parameters', tool) };
    if (data.success === false) env.failed = true;
  }
  const old = payload[pre ? 'preToolUse' : 'postToolUse'];
  if (isObject(old) && old.success === false) env.failed = true;
  // The Cline CLI's session (whose record names the model) is `sessionContext.rootSessionId`; `taskId` names the
  // conversation, which is all the extension's payloads give.
  const context = payload.sessionContext;
  const root = isObject(context) ? label(context.rootSessionId) : undefined;
  const session = root !== undefined && TASK_ID.test(root) ? root : label(payload.taskId);
  if (session !== undefined) env.session = session;
  const roots = payload.workspaceRoots;
  if (Array.isArray(roots) && typeof roots[0] === 'string' && roots[0] !== '') env.cwd = roots[0];
  return fromEnvelope('cline', env, { tool: 'cline', kind: 'agent' }, clineEffect);
}

/** OpenCode's tools as its plugin hooks name them, with their argument fields. */
function opencodeEffect(tool: string, input: Json): ToolEffect {
  switch (tool) {
    case 'write':
      return writes(requireString(input, ['filePath'], tool), requireText(input, 'content', tool));
    case 'edit':
      return replaces(requireString(input, ['filePath'], tool), [
        replacement(input, 'oldString', 'newString', tool, 'replaceAll'),
      ]);
    case 'multiedit':
      return replaces(
        requireString(input, ['filePath'], tool),
        replacementList(input, 'oldString', 'newString', 'replaceAll', tool),
      );
    case 'bash':
      return runs(input, tool);
    case 'patch':
    case 'apply_patch': {
      const patch = text(input.patchText) ?? text(input.patch) ?? text(input.input);
      if (patch === undefined) throw new AgentPayloadError(`${tool}: tool input has no "patchText"`);
      return { edits: patchEdits(patch, tool) };
    }
    default:
      return NONE;
  }
}

/** Qwen Code's tools (its hooks send Claude Code's envelope with its own tool names). */
function qwenEffect(tool: string, input: Json): ToolEffect {
  switch (tool) {
    case 'edit':
      return replacesOrCreates(
        requireString(input, ['file_path'], tool),
        requireText(input, 'old_string', tool),
        requireText(input, 'new_string', tool),
        input.replace_all === true,
      );
    case 'notebook_edit':
      return { edits: [{ path: requireString(input, ['notebook_path'], tool), op: 'unknown' }] };
    case 'write_file':
    case 'run_shell_command':
      return toolEffect(tool, input);
    default:
      return NONE;
  }
}

const OPENCODE_PHASES = { 'tool.execute.before': { phase: 'pre' }, 'tool.execute.after': { phase: 'post' } } as const;

/** What our OpenCode plugin sends (src/io/agents/opencode-plugin.ts), from OpenCode's tool.execute hooks. */
function interpretOpencode(payload: Json, strict: boolean): AgentCall | undefined {
  const event = label(payload.hook_event_name);
  if (event === undefined) {
    if (strict) throw new AgentPayloadError('the payload has no "hook_event_name"');
    return undefined;
  }
  const p = (OPENCODE_PHASES as Record<string, { phase: AgentPhase }>)[event];
  if (!p) return undefined;
  const tool = label(payload.tool);
  if (tool === undefined) throw new AgentPayloadError(`${event} payload has no "tool"`);
  const env: Envelope = { event, phase: p.phase, tool, input: toolInput(payload, 'args', tool) };
  const callId = label(payload.call_id);
  if (callId !== undefined) env.toolUseId = callId;
  const session = label(payload.session_id);
  if (session !== undefined) env.session = session;
  const model = label(payload.model);
  if (model !== undefined) env.model = model;
  const cwd = text(payload.cwd);
  if (cwd !== undefined && cwd !== '') env.cwd = cwd;
  return fromEnvelope('opencode', env, { tool: 'opencode', kind: 'agent' }, opencodeEffect);
}

export interface InterpretOptions {
  /**
   * A payload without the agent's event field is an error (the hook: it was not sent by that agent's hook).
   * Otherwise such a payload is simply not a tool event (replay traces may carry any payload).
   */
  requireEvent?: boolean;
}

/**
 * The AgentCall a payload describes, or undefined when it describes nothing we attribute (another event, a tool
 * that does not write files). Throws AgentPayloadError, with what is wrong, for a tool event whose fields are
 * not in the agent's documented shape.
 */
export function interpretAgentPayload(
  agent: AgentName,
  payload: unknown,
  options: InterpretOptions = {},
): AgentCall | undefined {
  if (!isObject(payload)) throw new AgentPayloadError('the payload must be a JSON object');
  const strict = options.requireEvent === true;
  switch (agent) {
    case 'claude-code':
    case 'codex': {
      if (isVscodePayload(payload)) return interpretAgentPayload('vscode', payload, options);
      if (agent === 'claude-code' && isCopilotCliPayload(payload)) return interpretCopilotCli(payload, strict);
      if (agent === 'claude-code' && payload.hook_event_name === 'Stop') return claudeStop(payload);
      const env = toolEnvelope(
        payload,
        CLAUDE_PHASES,
        strict,
        agent === 'claude-code' ? claudeSubagentTranscript : undefined,
      );
      const call = env && fromEnvelope(agent, env, { tool: agent, kind: 'agent' });
      // A shell command Claude Code runs in the background: the post-tool hook names its task.
      const response = payload.tool_response;
      const input = payload.tool_input;
      if (
        call?.shell &&
        call.phase === 'post' &&
        isObject(input) &&
        input.run_in_background === true &&
        isObject(response) &&
        typeof response.backgroundTaskId === 'string' &&
        TASK_ID.test(response.backgroundTaskId)
      )
        call.background = { taskId: response.backgroundTaskId };
      return call;
    }
    case 'gemini-cli': {
      // Gemini CLI's sub-agents are tools of the turn: at its end nothing of the session runs but background shells.
      if (payload.hook_event_name === 'AfterAgent')
        return turnEnd('gemini-cli', 'AfterAgent', 'gemini-cli', payload, { idle: true });
      const env = toolEnvelope(payload, GEMINI_PHASES, strict);
      if (!env) return undefined;
      const response = payload.tool_response;
      if (isObject(response) && response.error !== undefined && response.error !== null && response.error !== '')
        env.failed = true;
      const call = fromEnvelope('gemini-cli', env, { tool: 'gemini-cli', kind: 'agent' });
      const background = call.shell && call.phase === 'post' ? geminiBackground(payload) : undefined;
      if (background) call.background = background;
      return call;
    }
    case 'cursor':
      return interpretCursor(payload, strict);
    case 'cline':
      return interpretCline(payload, strict);
    case 'opencode':
      return interpretOpencode(payload, strict);
    case 'qwen-code': {
      // Its Stop's background_tasks are sub-agents, not shells: each shell's end is in its status file.
      if (payload.hook_event_name === 'Stop') {
        const tasks = payload.background_tasks;
        const idle = Array.isArray(tasks) && !tasks.some(t => isObject(t) && t.status === 'running');
        return turnEnd('qwen-code', 'Stop', 'qwen-code', payload, idle ? { idle } : {});
      }
      const env = toolEnvelope(payload, CLAUDE_PHASES, strict, qwenSubagentRecord);
      const call = env && fromEnvelope('qwen-code', env, { tool: 'qwen-code', kind: 'agent' }, qwenEffect);
      const background = call?.shell && call.phase === 'post' && !call.failed ? qwenBackground(payload) : undefined;
      if (call && background) call.background = background;
      return call;
    }
    case 'vscode':
    case 'copilot-cli': {
      if (payload.hookEventName === undefined && (agent === 'copilot-cli' || isCopilotCliPayload(payload)))
        return interpretCopilotCli(payload, strict);
      const env = toolEnvelope(payload, CLAUDE_PHASES, strict);
      return env && fromEnvelope('vscode', env, { tool: vscodeTool(payload), kind: 'agent' });
    }
  }
}
