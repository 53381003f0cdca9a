import { TOOLS, type Tool } from '../agents/table';

/**
 * Who wrote a character (docs/attribution.md). `human` and `unknown` are plain strings so that the common case
 * costs nothing: every human run in every document shares the same value, and equality is `===`. AI origins are
 * objects created once per insertion event (one accept, one chat session, one mark), shared by every run that
 * came from that event: runs that touch and share an origin merge back into one.
 */

/** Tool slugs (what produced AI text) live in the agent table, with everything else known about each tool. */
export { TOOLS, type Tool } from '../agents/table';

/** How AI text arrived (docs/attribution.md). */
export const AI_KINDS = ['inline', 'partial', 'nes', 'chat', 'agent', 'manual'] as const;
export type AiKind = (typeof AI_KINDS)[number];

export const HUMAN = 'human';
export const UNKNOWN = 'unknown';
export type HumanOrigin = typeof HUMAN;
export type UnknownOrigin = typeof UNKNOWN;

export interface AiOrigin {
  /** uuid v4, unique per insertion event: the key that says "these characters arrived together". */
  readonly id: string;
  readonly tool: Tool;
  readonly kind: AiKind;
  readonly model?: string;
  /** The agent's or chat's own session id, when it gives one. */
  readonly session?: string;
  /** When the text arrived: ISO 8601, UTC. */
  readonly at: string;
}

export type Origin = HumanOrigin | UnknownOrigin | AiOrigin;

/** A stretch of `length` UTF-16 code units sharing one origin. */
export interface Run {
  readonly length: number;
  readonly origin: Origin;
}

export function isAi(origin: Origin): origin is AiOrigin {
  return typeof origin !== 'string';
}

export function isTool(value: unknown): value is Tool {
  return typeof value === 'string' && (TOOLS as readonly string[]).includes(value);
}

export function isAiKind(value: unknown): value is AiKind {
  return typeof value === 'string' && (AI_KINDS as readonly string[]).includes(value);
}

/**
 * Whether two origins are the same insertion event. Identity first (the hot path: shared objects and the two
 * strings); then the id, so origins rebuilt from stored JSON still merge with the ones they came from.
 */
export function sameOrigin(a: Origin, b: Origin): boolean {
  if (a === b) return true;
  return typeof a !== 'string' && typeof b !== 'string' && a.id === b.id;
}

/** Where fresh AI origins get their id and time: injected so tests and replays can be deterministic. */
export interface OriginFactory {
  ai(fields: { tool: Tool; kind: AiKind; model?: string; session?: string }): AiOrigin;
}

export function originFactory(newId: () => string, now: () => Date): OriginFactory {
  return {
    ai({ tool, kind, model, session }) {
      const origin: { -readonly [K in keyof AiOrigin]: AiOrigin[K] } = {
        id: newId(),
        tool,
        kind,
        at: now().toISOString(),
      };
      // Only present keys: stored state and JSON output stay free of `"model": undefined` noise.
      if (model !== undefined) origin.model = model;
      if (session !== undefined) origin.session = session;
      return origin;
    },
  };
}
