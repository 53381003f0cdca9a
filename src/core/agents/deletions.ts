import { removedLineTexts } from '../commit/attribution';
import type { AiKind, Tool } from '../attribution/origin';
import { callPaths, isRelevantCall, type AgentCall, type AgentFileTexts } from './call';

/**
 * What an agent's tool call removed (docs/commits.md, "AI deletions"): per file, the lines the call took out, from
 * the hook's snapshots before and after the tool ran, or, without snapshots, from the replacements the payload
 * spells out. A file the call moved (its whole text is in a file after the call) is not a deletion.
 */
export interface AiDeletion {
  readonly path: string;
  /** The removed lines' text, without line breaks; lines of whitespace only are left out. */
  readonly lines: readonly string[];
  readonly tool: Tool;
  readonly kind: AiKind;
  readonly model?: string;
}

export function callDeletions(call: AgentCall, files: ReadonlyMap<string, AgentFileTexts>): AiDeletion[] {
  if (call.phase !== 'post' || !isRelevantCall(call) || (call.failed && !call.shell)) return [];
  const who = {
    tool: call.origin.tool,
    kind: call.origin.kind,
    ...(call.model !== undefined ? { model: call.model } : {}),
  };
  // Text that is in some file after the call: a deleted file whose whole text is there was moved, not deleted.
  const present = new Set([...files.values()].filter(t => t.after !== undefined).map(t => t.after));
  const out: AiDeletion[] = [];
  for (const path of new Set([...callPaths(call), ...files.keys()])) {
    const t = files.get(path);
    let lines: string[] = [];
    if (t?.before !== undefined && (t.after !== undefined || t.afterMissing)) {
      // Moved, not deleted: the same text arrived under a path that did not exist before.
      if (t.afterMissing && present.has(t.before)) continue;
      lines = removedLineTexts(t.before, t.after ?? '');
    } else if (!call.shell) {
      for (const edit of call.edits) {
        if (edit.path !== path || edit.op !== 'replace') continue;
        for (const r of edit.replacements) lines.push(...removedLineTexts(r.old, r.new));
      }
    }
    if (lines.length > 0) out.push({ path, lines, ...who });
  }
  return out;
}
