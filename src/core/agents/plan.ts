import { UNKNOWN, type AiOrigin, type Run } from '../attribution/origin';
import {
  applyAgentEdit,
  explainRuns,
  forwardEdit,
  matchLineEnds,
  reanchorTo,
  relabelUnexplained,
  uniform,
  type Attributed,
} from './apply';
import type { AgentFileTexts, FileEdit } from './call';

/**
 * Planning an agent's tool call (docs/capture.md): for each file it names, what the call did to that file's
 * attribution, decided from the engine's view of the file and the texts the hook saw, as a list of actions the
 * engine then applies. Pure: no engine method exists for the plan to call back.
 */

/** Plans one file's agent edit into `plan`; returns why it cannot be applied, or undefined. */
export function planAgentEdit(
  plan: AgentPlan,
  given: FileEdit,
  files: ReadonlyMap<string, AgentFileTexts>,
  origin: AiOrigin,
  shell: boolean,
): string | undefined {
  if (given.op === 'delete') return undefined; // nothing left to attribute; what we knew stays until the file is seen again
  const edit = matchLineEnds(
    given,
    files.get(given.path)?.after ?? files.get(given.path)?.before ?? plan.view(given.path)?.text,
  );
  const target = 'moveTo' in edit && edit.moveTo !== undefined ? edit.moveTo : edit.path;
  const at = files.get(edit.path);
  const afterTexts = files.get(target) ?? at;
  if (afterTexts?.afterMissing) return 'the file is gone after the tool ran';
  const after = afterTexts?.after;
  const state = plan.view(edit.path);
  if (target !== edit.path && plan.view(target)?.open)
    return `the tool moved it to ${target}, which is open in the editor`;
  const before = at?.before ?? (at?.beforeMissing ? '' : undefined) ?? state?.agentBefore;

  if (state?.open) {
    if (target !== edit.path) return 'the file is open in the editor and the tool moved it';
    if (after !== undefined) {
      const runs = explainRuns(after, edit, origin, [before, state.beforeDisk?.text, state.text]);
      if (state.text === after) plan.relabel(edit.path, runs);
      else plan.pending(edit.path, after, runs);
      return undefined;
    }
    const explained = explainDiskChange(state, edit, origin);
    if (explained) {
      plan.relabel(edit.path, explained);
      return undefined;
    }
    if (before !== undefined) {
      // The hooks saw the text before the call, not after it (its change had not reached the disk: VS Code saves
      // its agent's edits a moment later): the call's description applied to that text is what it writes, in the
      // editor now or when the disk brings it.
      const written = forwardEdit({ text: before, runs: uniform(before.length, UNKNOWN) }, edit, origin);
      if (written.ok) {
        if (written.value.text === state.text) plan.relabel(edit.path, written.value.runs);
        else plan.pending(edit.path, written.value.text, written.value.runs);
        return undefined;
      }
    }
    const f = forwardEdit({ text: state.text, runs: uniform(state.text.length, UNKNOWN) }, edit, origin);
    if (!f.ok) return f.reason;
    plan.pending(edit.path, f.value.text, f.value.runs);
    return undefined;
  }

  if (state) {
    // Already at the agent's text (a disk event brought it, or the record is delivered again): explain it.
    if (after !== undefined && state.text === after && target === edit.path) {
      plan.relabel(edit.path, explainRuns(after, edit, origin, [before, state.beforeDisk?.text]));
      return undefined;
    }
    const explained = after === undefined && target === edit.path ? explainDiskChange(state, edit, origin) : undefined;
    if (explained) {
      plan.relabel(edit.path, explained);
      return undefined;
    }
  }

  let base: Attributed | undefined;
  if (before !== undefined)
    base = { text: before, runs: state ? reanchorTo(state, before) : uniform(before.length, UNKNOWN) };
  else if (state && !shell) base = { text: state.text, runs: state.runs };
  if (shell && base === undefined) {
    // A shell command changed a file whose text before it is not known: what it did is not known either.
    if (after === undefined) return "the file's text after the command is not known";
    plan.set(edit.path, target, {
      text: after,
      runs: state ? reanchorTo(state, after) : uniform(after.length, UNKNOWN),
    });
    return undefined;
  }
  // The hooks saw the file just before (this record, or the pre-tool record's snapshot) and just after this call:
  // what changed in between is the call's doing.
  const snapshotBefore = at?.before !== undefined || at?.beforeMissing === true || state?.agentBefore !== undefined;
  const bracketed = snapshotBefore && at?.after !== undefined && target === edit.path;
  const outcome = applyAgentEdit(base, edit, origin, after, bracketed);
  if (!outcome.ok) return outcome.reason;
  plan.set(edit.path, target, outcome.value);
  return undefined;
}

/**
 * When a disk event changed the document since the last agent call and the edit applies to the text before that
 * event, the edit explains the change: the agent's text, mapped onto the current text (what else the disk event
 * brought stays unknown). Undefined when there was no such disk event or the edit does not apply to it.
 */
function explainDiskChange(state: PlannedState, edit: FileEdit, origin: AiOrigin): Run[] | undefined {
  if (!state.beforeDisk) return undefined;
  const before = state.beforeDisk.text;
  const f = forwardEdit({ text: before, runs: uniform(before.length, UNKNOWN) }, edit, origin);
  if (!f.ok) return undefined;
  return f.value.text === state.text ? f.value.runs : reanchorTo(f.value, state.text);
}

/** What planning sees of a path: the document's state, or what an earlier edit of the same call planned. */
export interface PlannedState extends Attributed {
  open: boolean;
  beforeDisk: Attributed | undefined;
  agentBefore: string | undefined;
}

/** One step of a planned agent call, applied by the engine in order. Plain data. */
export type AgentAction =
  | { kind: 'set'; from: string; to: string; value: Attributed }
  | { kind: 'relabel'; path: string; runs: Run[] }
  | { kind: 'pending'; path: string; after: string; runs: Run[] };

/**
 * The planned effect of one agent call: what to do to which path, as plain data (`actions`), computed without
 * changing the engine. Planning an edit sees the effect of the edits planned before it in the same call; the
 * engine applies every action at once afterwards, so a call applies whole or not at all.
 */
export class AgentPlan {
  readonly actions: AgentAction[] = [];
  private readonly staged = new Map<string, PlannedState | null>();

  /** `current` shows a path as the engine holds it now (a copy). */
  constructor(private readonly current: (path: string) => PlannedState | undefined) {}

  view(path: string): PlannedState | undefined {
    const staged = this.staged.get(path);
    if (staged !== undefined) return staged ?? undefined;
    return this.current(path);
  }

  set(from: string, to: string, value: Attributed): void {
    this.actions.push({ kind: 'set', from, to, value });
    if (from !== to) this.staged.set(from, null);
    this.staged.set(to, { ...value, open: false, beforeDisk: undefined, agentBefore: undefined });
  }

  relabel(path: string, runs: Run[]): void {
    this.actions.push({ kind: 'relabel', path, runs });
    const current = this.view(path);
    if (current)
      this.staged.set(path, {
        ...current,
        runs: relabelUnexplained(current.runs, runs),
        beforeDisk: undefined,
        agentBefore: undefined,
      });
  }

  pending(path: string, after: string, runs: Run[]): void {
    this.actions.push({ kind: 'pending', path, after, runs });
  }
}

/**
 * Files a shell command moved: a path that did not exist before the command and holds, after it, exactly the text
 * a path that is gone after it held before (in the hook's snapshot, or as this engine knows it). Returns the new
 * path -> the old path. Only one-to-one matches count: two vanished files with the same text are not guessed at.
 */
export function shellMoves(files: ReadonlyMap<string, AgentFileTexts>, plan: AgentPlan): Map<string, string> {
  const vanished = [...files]
    .filter(([, t]) => t.afterMissing === true)
    .map(([path, t]) => ({
      path,
      text: t.before ?? plan.view(path)?.text,
    }));
  const moves = new Map<string, string>();
  for (const [path, t] of files) {
    if (t.after === undefined || !(t.beforeMissing === true || (t.before === undefined && !plan.view(path)))) continue;
    const same = vanished.filter(v => v.text === t.after);
    if (same.length === 1) moves.set(path, same[0]!.path);
  }
  return moves;
}

/** Plans a move of `from` to `to`: the text keeps the origins it had there (unknown where nothing was known). */
export function planMove(plan: AgentPlan, from: string, to: string, text: string): void {
  const known = plan.view(from);
  const runs = known ? (known.text === text ? known.runs : reanchorTo(known, text)) : uniform(text.length, UNKNOWN);
  plan.set(from, to, { text, runs });
}
