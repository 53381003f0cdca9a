import { TOOL_TABLE } from '../agents/table';
import { AI_KINDS, TOOLS, type AiKind, type Tool } from '../attribution/origin';

/**
 * The commit trailers of docs/formats.md, a contract other tools parse:
 *
 *   Assisted-by: <Agent>[:<model>]
 *   AI-Attribution: v1 added=<n> ai=<n> mixed=<n> unknown=<n> tools=<tool>/<kind>:<lines>[,<tool>/<kind>:<lines>...]
 *
 * `tools` lists ai+mixed lines per tool/kind, largest first (ties by tool, then kind, so the text is stable).
 * When a commit has no ai or mixed line (the policy's trailers.onEveryCommit) the list is empty: `tools=`.
 *
 * Since 0.2, two ways for the hook to say it could not do its whole job (read by `check` as "unattested", so a
 * senior looks; trailers written before 0.2 never carry them and read as before):
 *   `... tools=<...> skipped=<n>`   n staged files could not be attributed; their lines are counted as unknown
 *   `AI-Attribution: v1 failed`     the hook failed; nothing about the commit's lines is known
 *
 * Since 0.2, what an AI removed (docs/commits.md, "AI deletions"):
 *   `... tools=<...> [skipped=<n>] deleted=<n>`   n of the commit's removed lines were removed by an AI
 * A reader before 0.2 ignores the key (unknown keys are tolerated); the hook also credits the deleting agent in
 * Assisted-by, which 0.2's check reads as an agent's part even where `deleted=` is not understood.
 */

export const ASSISTED_BY = 'Assisted-by';
export const AI_ATTRIBUTION = 'AI-Attribution';

export interface ToolLines {
  tool: Tool;
  kind: AiKind;
  /** ai + mixed lines attributed to this tool and kind. */
  lines: number;
}

export interface Attribution {
  added: number;
  ai: number;
  mixed: number;
  unknown: number;
  tools: ToolLines[];
  /** Staged files the hook could not attribute (their lines are in `unknown`); absent or 0 when none. */
  skipped?: number;
  /** Removed lines an AI removed (present only when > 0). */
  deleted?: number;
}

/** The value the hook writes when it failed: the commit's lines are not known at all. */
export const FAILED_ATTRIBUTION = 'v1 failed';

export interface AgentModel {
  tool: Tool;
  model?: string;
}

/** A model name as a trailer can carry it: one line, no white space (kept otherwise as the tool reported it). */
export function cleanModel(model: string | undefined): string | undefined {
  if (model === undefined) return undefined;
  const cleaned = model.trim().replace(/\s+/g, '-');
  return cleaned === '' ? undefined : cleaned;
}

export function sortTools(tools: readonly ToolLines[]): ToolLines[] {
  return [...tools].sort((a, b) => b.lines - a.lines || a.tool.localeCompare(b.tool) || a.kind.localeCompare(b.kind));
}

export function formatAiAttribution(a: Attribution): string {
  const tools = sortTools(a.tools.filter(t => t.lines > 0))
    .map(t => `${t.tool}/${t.kind}:${t.lines}`)
    .join(',');
  const skipped = a.skipped ? ` skipped=${a.skipped}` : '';
  const deleted = a.deleted ? ` deleted=${a.deleted}` : '';
  return `v1 added=${a.added} ai=${a.ai} mixed=${a.mixed} unknown=${a.unknown} tools=${tools}${skipped}${deleted}`;
}

/** One `Assisted-by` value per distinct agent and model, in a stable order. */
export function formatAssistedBy(agents: readonly AgentModel[]): string[] {
  const values = new Set<string>();
  for (const { tool, model } of agents) {
    const m = cleanModel(model);
    values.add(m ? `${TOOL_TABLE[tool].trailerName}:${m}` : TOOL_TABLE[tool].trailerName);
  }
  return [...values].sort();
}

/** A trailer value that does not follow the grammar. `reason` says what is wrong with it. */
export class TrailerFormatError extends Error {
  override readonly name = 'TrailerFormatError';
  constructor(
    readonly value: string,
    readonly reason: string,
  ) {
    super(`malformed ${AI_ATTRIBUTION} trailer "${value.slice(0, 200)}": ${reason}`);
  }
}

const COUNT = /^(0|[1-9]\d{0,8})$/;

/**
 * Parses an `AI-Attribution` value. Strict about the fields it knows (a forged or damaged trailer must not
 * read as "no AI lines"), tolerant of fields a later version may add after them.
 */
export function parseAiAttribution(value: string): Attribution {
  const fields = value.trim().split(/\s+/);
  if (fields[0] !== 'v1') throw new TrailerFormatError(value, `it must start with v1, not "${fields[0] ?? ''}"`);
  const seen = new Map<string, string>();
  for (const field of fields.slice(1)) {
    const eq = field.indexOf('=');
    if (eq <= 0) throw new TrailerFormatError(value, `"${field}" is not key=value`);
    const key = field.slice(0, eq);
    if (seen.has(key)) throw new TrailerFormatError(value, `${key} appears twice`);
    seen.set(key, field.slice(eq + 1));
  }
  const count = (key: 'added' | 'ai' | 'mixed' | 'unknown'): number => {
    const raw = seen.get(key);
    if (raw === undefined) throw new TrailerFormatError(value, `${key}= is missing`);
    if (!COUNT.test(raw)) throw new TrailerFormatError(value, `${key}=${raw} is not a whole number`);
    return Number(raw);
  };
  const result: Attribution = {
    added: count('added'),
    ai: count('ai'),
    mixed: count('mixed'),
    unknown: count('unknown'),
    tools: [],
  };
  const skipped = seen.get('skipped');
  if (skipped !== undefined) {
    if (!COUNT.test(skipped)) throw new TrailerFormatError(value, `skipped=${skipped} is not a whole number`);
    if (Number(skipped) > 0) result.skipped = Number(skipped);
  }
  const deleted = seen.get('deleted');
  if (deleted !== undefined) {
    if (!COUNT.test(deleted)) throw new TrailerFormatError(value, `deleted=${deleted} is not a whole number`);
    if (Number(deleted) > 0) result.deleted = Number(deleted);
  }
  const tools = seen.get('tools');
  if (tools === undefined) throw new TrailerFormatError(value, 'tools= is missing');
  for (const item of tools === '' ? [] : tools.split(',')) {
    const m = /^([a-z-]+)\/([a-z]+):(\d+)$/.exec(item);
    if (!m || !COUNT.test(m[3]!)) throw new TrailerFormatError(value, `"${item}" is not <tool>/<kind>:<lines>`);
    const [, tool, kind, lines] = m;
    if (!(TOOLS as readonly string[]).includes(tool!)) throw new TrailerFormatError(value, `unknown tool "${tool}"`);
    if (!(AI_KINDS as readonly string[]).includes(kind!)) throw new TrailerFormatError(value, `unknown kind "${kind}"`);
    result.tools.push({ tool: tool as Tool, kind: kind as AiKind, lines: Number(lines) });
  }
  if (result.ai + result.mixed + result.unknown > result.added) {
    throw new TrailerFormatError(value, 'ai + mixed + unknown is more than added');
  }
  return result;
}

/** `Co-authored-by` values for the agents whose row in the agent table has an identity (policy opt-in only). */
export function formatCoAuthors(agents: readonly AgentModel[]): string[] {
  return [...new Set(agents.map(a => TOOL_TABLE[a.tool].coAuthor).filter((v): v is string => v !== undefined))].sort();
}
