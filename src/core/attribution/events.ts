import type { AgentCall } from '../agents/call';
import type { AgentFileSnapshot } from '../agents/record';
import type { AgentName } from '../agents/table';
import type { AiKind, Tool } from './origin';

/**
 * The normalized events of the replay traces in docs/formats.md: what the capture adapters (extension, agent hooks, tests)
 * feed the engine, and what a replay trace holds one per line. Paths are the editor's paths, as given.
 */

/** One change of a VS Code change event: offsets in UTF-16 code units, relative to the text before the event. */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

export const ACCEPT_KINDS = ['inline', 'word', 'line', 'nes'] as const;
export type AcceptKind = (typeof ACCEPT_KINDS)[number];

/** The agents whose hooks the CLI knows live in the agent table. */
export { AGENTS, type AgentName } from '../agents/table';

export interface HeaderEvent {
  t: 'header';
  v: 1;
  root?: string;
}
/** The editor opened a file: its text is human unless `origin` says `unknown`. */
export interface OpenEvent {
  t: 'open';
  path: string;
  text: string;
  origin?: 'human' | 'unknown';
}
/** One VS Code change event; `reason` is VS Code's TextDocumentChangeReason for undo and redo. */
export interface EditEvent {
  t: 'edit';
  path: string;
  changes: TextChange[];
  reason?: 'undo' | 'redo';
}
export interface AcceptEvent {
  t: 'accept';
  kind: AcceptKind;
  tool: Tool;
  model?: string;
}
export interface CopyEvent {
  t: 'copy';
  path: string;
  offset: number;
  length: number;
}
export interface PasteEvent {
  t: 'paste';
  path: string;
  text: string;
}
/** An in-editor chat or agent edit session on a path starts (needs `tool`) or ends. */
export interface ChatEvent {
  t: 'chat';
  path: string;
  phase: 'start' | 'end';
  tool?: Tool;
  model?: string;
}
export interface DiskEvent {
  t: 'disk';
  path: string;
  text: string;
}
export interface AgentEvent {
  t: 'agent';
  agent: AgentName;
  payload: unknown;
}
/**
 * An agent hook's call as the editor applied it from the spool: the call as the hook read it, the texts the hook
 * saw, and when it ran (docs/formats.md). It replays exactly as the CLI applies the same record.
 */
export interface AgentCallEvent {
  t: 'agent-call';
  at: string;
  call: AgentCall;
  files: AgentFileSnapshot[];
}
/**
 * A person (or a recorded trace restoring its starting state) sets the origin of a range. For `as: "ai"`, `tool`
 * defaults to `ai` (an AI we cannot name) and `kind` to `manual`; `as: "human"` takes neither.
 */
export interface MarkEvent {
  t: 'mark';
  path: string;
  offset: number;
  length: number;
  as: 'ai' | 'human';
  tool?: Tool;
  kind?: AiKind;
  model?: string;
}
export interface SaveEvent {
  t: 'save';
  path: string;
}
export interface CloseEvent {
  t: 'close';
  path: string;
}
export interface RenameEvent {
  t: 'rename';
  from: string;
  to: string;
}

export type ProvenanceEvent =
  | HeaderEvent
  | OpenEvent
  | EditEvent
  | AcceptEvent
  | CopyEvent
  | PasteEvent
  | ChatEvent
  | DiskEvent
  | AgentEvent
  | AgentCallEvent
  | MarkEvent
  | SaveEvent
  | CloseEvent
  | RenameEvent;

export type EventType = ProvenanceEvent['t'];
