import type { Run } from './origin';
import type { RunList } from './runs';
import type { TextBuffer } from './text';

/**
 * Undo and redo (docs/attribution.md: "undo/redo must restore the origin the text had").
 *
 * What VS Code does: its undo stack holds elements, each the inverse of one or more change events (consecutive
 * typing, or consecutive backspaces, are grouped into one element until the cursor jumps or an undo stop is
 * pushed). An undo applies the inverse of the top element as one change event with reason Undo; its changes may
 * be merged or split differently from the events that built the element. A redo re-applies the element.
 * Nothing in the event says which element, or how many of our events, it covers.
 *
 * What we do: mirror the stack at event granularity. Every ordinary edit pushes a record (for each change: its
 * offset, the removed text and the origins it had, the inserted text and the origins it got). For an undo event,
 * we know the text it produces (the target). On a scratch copy of the document we apply the inverse of the top
 * record, then the next, and so on; after k records, if the scratch text equals the target, those k records are
 * what VS Code undid, and the scratch copy (text and runs) is the answer: every character re-inserted by the
 * undo has exactly the origin it had before, and everything else keeps its current origin. Redo is the mirror
 * image with the records the undo moved to the redo stack. Matching by content, not by the shape of the changes,
 * is what makes this robust to VS Code's grouping and merging: the shape may differ, the resulting text cannot.
 *
 * Safety: applying a record's inverse first checks that the text it would remove is exactly the text the record
 * inserted; a mismatch means our history is out of step (an edit we never saw, or history lost to the size
 * limit), and the search stops. When no k explains the event, the caller falls back to treating the inserted text
 * as human: undo can then lose an AI label but never invent one. A smaller k than VS Code's could only match if
 * an intermediate state of the group had exactly the target's text, which typing and deleting never produce.
 *
 * Memory: records are bounded (count and characters), oldest dropped first, so memory stays proportional to the
 * runs and the limits, not to the number of edits.
 */
export interface ChangeRecord {
  /** Offset of the change in the text it applied to (changes of an event apply in order, bottom to top). */
  offset: number;
  removedText: string;
  removedRuns: readonly Run[];
  insertedText: string;
  insertedRuns: readonly Run[];
}

export interface EditRecord {
  changes: ChangeRecord[];
}

export interface HistoryLimits {
  /** Most records kept, undo and redo stacks together. */
  records: number;
  /** Most characters (removed plus inserted) kept, undo and redo stacks together. */
  chars: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { records: 2000, chars: 4_000_000 };

/** A document state: what undo and redo work on. */
export interface DocumentState {
  text: TextBuffer;
  runs: RunList;
}

function recordChars(record: EditRecord): number {
  let n = 0;
  for (const c of record.changes) n += c.removedText.length + c.insertedText.length;
  return n;
}

export class History {
  private undoStack: EditRecord[] = [];
  private redoStack: EditRecord[] = [];
  private chars = 0;

  constructor(private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {}

  get undoDepth(): number {
    return this.undoStack.length;
  }

  get redoDepth(): number {
    return this.redoStack.length;
  }

  /** An ordinary edit: it can be undone, and it ends any redo chain (as in VS Code). */
  pushEdit(record: EditRecord): void {
    for (const r of this.redoStack) this.chars -= recordChars(r);
    this.redoStack = [];
    this.undoStack.push(record);
    this.chars += recordChars(record);
    this.trim();
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
    this.chars = 0;
  }

  /** The state after an undo event that produces `target`, with the origins restored; undefined if unexplained. */
  undo(current: DocumentState, target: TextBuffer): DocumentState | undefined {
    return this.replay(this.undoStack, this.redoStack, current, target, 'undo');
  }

  /** The state after a redo event that produces `target`, with the origins restored; undefined if unexplained. */
  redo(current: DocumentState, target: TextBuffer): DocumentState | undefined {
    return this.replay(this.redoStack, this.undoStack, current, target, 'redo');
  }

  private replay(
    from: EditRecord[],
    to: EditRecord[],
    current: DocumentState,
    target: TextBuffer,
    direction: 'undo' | 'redo',
  ): DocumentState | undefined {
    if (from.length === 0) return undefined;
    const scratch: DocumentState = { text: current.text.clone(), runs: current.runs.clone() };
    const delta = target.length - current.text.length;
    // The origins of the text each step takes out, per record: the redo (or undo) that follows puts them back.
    const taken: (readonly Run[])[][] = [];
    let net = 0;
    for (let k = 1; k <= from.length; k++) {
      const record = from[from.length - k]!;
      const stepped = step(record, scratch, direction);
      if (!stepped) return undefined;
      taken.push(stepped.taken);
      net += stepped.delta;
      if (net === delta && scratch.text.equals(target)) {
        for (let i = 0; i < k; i++) {
          const moved = from.pop()!;
          const runs = taken[i]!;
          // Keep each record current: what the undo removed is what the redo must restore, and vice versa.
          moved.changes = moved.changes.map((c, j) =>
            direction === 'undo' ? { ...c, insertedRuns: runs[j]! } : { ...c, removedRuns: runs[j]! },
          );
          to.push(moved);
        }
        return scratch;
      }
    }
    return undefined;
  }

  private trim(): void {
    const { records, chars } = this.limits;
    if (this.undoStack.length + this.redoStack.length <= records && this.chars <= chars) return;
    // Drop the oldest undo records, at least a tenth at a time so a full history does not cost a shift per keystroke.
    const batch = Math.max(1, Math.ceil(records / 10));
    let i = 0;
    while (
      i < this.undoStack.length &&
      (i < batch || this.undoStack.length - i + this.redoStack.length > records || this.chars > chars)
    ) {
      this.chars -= recordChars(this.undoStack[i]!);
      i++;
    }
    this.undoStack.splice(0, i);
  }
}

/**
 * Steps `state` through `record`: backwards for an undo (each change's inserted text goes back to what it
 * removed, last change first), forwards for a redo. Undefined if the text is not what the step expects.
 */
function step(
  record: EditRecord,
  state: DocumentState,
  direction: 'undo' | 'redo',
): { delta: number; taken: (readonly Run[])[] } | undefined {
  const undo = direction === 'undo';
  const n = record.changes.length;
  const taken: (readonly Run[])[] = new Array<readonly Run[]>(n);
  let delta = 0;
  for (let k = 0; k < n; k++) {
    const j = undo ? n - 1 - k : k;
    const c = record.changes[j]!;
    const [fromText, toText, toRuns] = undo
      ? [c.insertedText, c.removedText, c.removedRuns]
      : [c.removedText, c.insertedText, c.insertedRuns];
    const end = c.offset + fromText.length;
    if (end > state.text.length || state.text.slice(c.offset, end) !== fromText) return undefined;
    taken[j] = state.runs.slice(c.offset, fromText.length);
    state.text.replace(c.offset, fromText.length, toText);
    state.runs.replace(c.offset, fromText.length, toRuns);
    delta += toText.length - fromText.length;
  }
  return { delta, taken };
}
