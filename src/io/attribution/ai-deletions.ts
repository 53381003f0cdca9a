import { createHash } from 'node:crypto';
import type { AiDeletion } from '../../core/agents/deletions';
import { isAiKind, isTool, type AiKind, type Tool } from '../../core/attribution/origin';
import type { Logger } from '../../core/log';
import type { RepositoryLocation } from '../git/repository';
import { StateStore } from '../store/state-store';
import { STATE_LAYOUT } from '../store/state-file';

/**
 * The lines AIs removed and nobody has committed yet (docs/local-state.md): `ai-deletions.json` in the state folder,
 * a versioned list updated under a lock. Lines are kept as hashes (no code is copied into the state): the commit
 * hook hashes each line the commit removes and counts those an entry for the file lists (docs/commits.md, "AI
 * deletions"). Entries older than KEEP_MS are dropped on write, and the list keeps the newest KEEP entries.
 */

export interface DeletionEntry {
  readonly path: string;
  /** Hashes of the removed lines (lineHash). */
  readonly lines: readonly string[];
  readonly tool: Tool;
  readonly kind: AiKind;
  readonly model?: string;
  /** When the AI removed them (ISO 8601). */
  readonly at: string;
}

const KEEP = 2000;
const KEEP_MS = 30 * 24 * 3600 * 1000;

/** A removed line's key: its exact text, hashed. */
export function lineHash(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('base64url').slice(0, 22);
}

function parseEntry(value: unknown): DeletionEntry {
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null) throw new Error('an entry must be an object');
  if (typeof v.path !== 'string' || v.path === '') throw new Error('path must be a non-empty string');
  if (!Array.isArray(v.lines) || !v.lines.every(l => typeof l === 'string')) throw new Error('lines must be strings');
  if (!isTool(v.tool)) throw new Error(`tool "${String(v.tool)}" is not a known tool`);
  if (!isAiKind(v.kind)) throw new Error(`kind "${String(v.kind)}" is not a known kind`);
  if (typeof v.at !== 'string') throw new Error('at must be a string');
  return {
    path: v.path,
    lines: v.lines as string[],
    tool: v.tool,
    kind: v.kind,
    ...(typeof v.model === 'string' ? { model: v.model } : {}),
    at: v.at,
  };
}

export async function readDeletions(store: StateStore<unknown>): Promise<DeletionEntry[]> {
  return store.readList(STATE_LAYOUT.aiDeletions, parseEntry);
}

/**
 * Which removed lines of a commit an AI removed: each line (by path, then its old path) is matched against the
 * entries' hashes, each hash explaining one line. Returns the count and the entries that explained any.
 */
export function matchDeletions(
  entries: readonly DeletionEntry[],
  removed: readonly { paths: readonly string[]; lines: readonly { line: number; text: string }[] }[],
): { deleted: number; by: DeletionEntry[]; matched: { path: string; line: number; entry: DeletionEntry }[] } {
  const pool = new Map<string, { entry: DeletionEntry; left: number }[]>();
  for (const entry of entries) {
    for (const hash of entry.lines) {
      const key = `${entry.path}\0${hash}`;
      const list = pool.get(key) ?? [];
      const same = list.find(x => x.entry === entry);
      if (same) same.left++;
      else list.push({ entry, left: 1 });
      pool.set(key, list);
    }
  }
  const matched: { path: string; line: number; entry: DeletionEntry }[] = [];
  for (const file of removed) {
    for (const line of file.lines) {
      const hash = lineHash(line.text);
      for (const p of file.paths) {
        const hit = pool.get(`${p}\0${hash}`)?.find(x => x.left > 0);
        if (!hit) continue;
        hit.left--;
        matched.push({ path: file.paths[0]!, line: line.line, entry: hit.entry });
        break;
      }
    }
  }
  return { deleted: matched.length, by: [...new Set(matched.map(m => m.entry))], matched };
}

/** Adds what an agent's call removed, at `at`. */
export async function recordDeletions(
  location: RepositoryLocation,
  logger: Logger,
  deletions: readonly AiDeletion[],
  at: string,
): Promise<void> {
  if (deletions.length === 0) return;
  const added: DeletionEntry[] = deletions.map(d => ({
    path: d.path,
    lines: d.lines.map(lineHash),
    tool: d.tool,
    kind: d.kind,
    ...(d.model !== undefined ? { model: d.model } : {}),
    at,
  }));
  const oldest = Date.now() - KEEP_MS;
  await new StateStore(location, logger).updateList(STATE_LAYOUT.aiDeletions, parseEntry, items =>
    [...items.filter(i => Date.parse(i.at) >= oldest), ...added].slice(-KEEP),
  );
}
