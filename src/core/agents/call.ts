import type { AgentName } from '../attribution/events';
import type { AiKind, Tool } from '../attribution/origin';

/**
 * One agent tool call as the engine understands it: what an agent's hook payload says, whatever the agent
 * (src/core/agents/payload.ts turns each agent's documented payload into this). The same value drives replay
 * traces (paths relative to the trace's root), the hook's spool record (paths relative to the repository) and
 * spool ingestion, so all three attribute an agent's text the same way.
 */

/** `pre`: the tool is about to run (files are as before); `post`: it ran (its changes are on disk). */
export type AgentPhase = 'pre' | 'post';

/**
 * One replacement of an edit: `old` becomes `new`. `all` replaces every occurrence. `line` (1-based) says near
 * which line the replacement happened, when the payload tells (Cursor Tab edits), to choose among equal matches.
 * `anchor` (patch hunks) is a line that precedes the replaced text.
 */
export interface Replacement {
  old: string;
  new: string;
  all?: boolean;
  line?: number;
  anchor?: string;
  /** The hunk ends at the end of the file (`*** End of File` in a patch). */
  atEnd?: boolean;
}

/**
 * What a tool did to one file, as exactly as the payload says it:
 * - `write`: the file's whole new content (Claude Write, Gemini write_file, Codex Add File...);
 * - `replace`: replacements applied one after the other, each to the result of the previous; with `ordered`
 *   each search starts where the previous replacement ended (patch hunks, SEARCH/REPLACE blocks);
 * - `delete`: the file is gone;
 * - `unknown`: the tool changed the file in a way the payload does not spell out (a notebook edit, an edit with
 *   "...existing code..." markers, a shell command): the delta is a diff of the text before and after.
 * `moveTo` (patches) renames the file; the edit applies to the moved file.
 */
export type FileEdit =
  | { path: string; op: 'write'; content: string; moveTo?: string }
  | { path: string; op: 'replace'; replacements: Replacement[]; ordered?: boolean; moveTo?: string }
  | { path: string; op: 'delete' }
  | { path: string; op: 'unknown'; moveTo?: string };

export interface AgentCall {
  /** The agent whose hook sent the payload (`vscode` when VS Code ran a Claude-format hook entry). */
  agent: AgentName;
  /** The hook event as the agent named it: PreToolUse, AfterTool, afterFileEdit... */
  event: string;
  phase: AgentPhase;
  /** The tool as the agent named it. */
  tool: string;
  /** The tool call's id, when the agent gives one (pairs a pre with its post). */
  toolUseId?: string;
  /** The agent's session, conversation or task id. */
  session?: string;
  /**
   * The sub-agent that made the call, when the agent names it apart from the session (Copilot CLI: its sub-agent's
   * calls carry the sub-agent's id, the session being its parent's); its model is looked up under this id.
   */
  agentId?: string;
  model?: string;
  /** The agent's transcript, when it names one: the hook may read its end for the model. */
  transcriptPath?: string;
  /** Where relative paths of the payload start. */
  cwd?: string;
  /** What the text this call writes becomes: tool slug and kind. */
  origin: { tool: Tool; kind: AiKind };
  /** The tool failed: edits did not happen (a shell command may still have changed files). */
  failed?: boolean;
  /** A shell command: its file changes come from a snapshot of the work tree before and after. */
  shell?: { command: string };
  /**
   * The shell command goes on after its post-tool hook (Claude Code's `run_in_background`, Copilot CLI's async,
   * detached or timed-out shell, Qwen Code's and Gemini CLI's `is_background`): its window stays open until the agent
   * shows the task ended (`stop`). `statusFile`: the agent's own record of the task's state (Qwen Code); `pid`: its
   * process, when the agent names it (Gemini CLI, Qwen Code).
   */
  background?: { taskId: string; statusFile?: string; pid?: number };
  /**
   * The agent's turn ended (Claude Code's Stop, Copilot CLI's, Qwen Code's and Codex's; Gemini CLI's AfterAgent).
   * `running`, when the agent lists them (Claude Code): the session's background tasks still running; the others
   * have ended and their changes are theirs. Without it each task's end is looked up where the agent records it.
   * `ended`: tasks the agent just said ended (Copilot CLI's shell_completed notification).
   * `idle`: nothing of the session runs on (no background task or sub-agent), so a shell call whose post-tool hook
   * never came was refused, not started.
   */
  stop?: { running?: string[]; ended?: string[]; idle?: boolean };
  /** The files the tool edits, in the order the payload gives them. */
  edits: FileEdit[];
}

/**
 * The texts of one file that a hook saw, alongside a call (the spool record carries them; a replay trace has
 * none). `before`: the file just before the tool ran; `after`: just after. `beforeMissing`/`afterMissing`: the
 * file did not exist. Absent fields: not known.
 */
export interface AgentFileTexts {
  before?: string;
  beforeMissing?: boolean;
  after?: string;
  afterMissing?: boolean;
}

/** Paths a call touches: each edit's path and where it moves to. */
export function callPaths(call: AgentCall): string[] {
  const paths: string[] = [];
  for (const e of call.edits) {
    paths.push(e.path);
    if ('moveTo' in e && e.moveTo !== undefined) paths.push(e.moveTo);
  }
  return [...new Set(paths)];
}

/** Whether a call can change attribution: a pre or post of an edit or shell tool that did not fail before running. */
export function isRelevantCall(call: AgentCall): boolean {
  if (call.shell || call.stop) return true;
  return call.edits.length > 0 && !(call.failed && call.phase === 'post');
}

/** A copy of the call with every path passed through `map`; edits whose path maps to undefined are dropped. */
export function mapCallPaths(call: AgentCall, map: (path: string) => string | undefined): AgentCall {
  const edits: FileEdit[] = [];
  for (const e of call.edits) {
    const path = map(e.path);
    if (path === undefined) continue;
    const moved = 'moveTo' in e && e.moveTo !== undefined ? map(e.moveTo) : undefined;
    const copy = { ...e, path } as FileEdit;
    if ('moveTo' in copy) {
      if (moved === undefined) delete (copy as { moveTo?: string }).moveTo;
      else (copy as { moveTo?: string }).moveTo = moved;
    }
    edits.push(copy);
  }
  return { ...call, edits };
}
