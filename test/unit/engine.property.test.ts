import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Engine } from '../../src/core/attribution/engine';
import type { AcceptKind, ProvenanceEvent, TextChange } from '../../src/core/attribution/events';
import { classifyLines, summarize, type FileSummary, type Segment } from '../../src/core/attribution/lines';
import type { AiKind, Origin, Tool } from '../../src/core/attribution/origin';
import { testEngine } from './support';

/**
 * Property tests: random sessions (typing, grouped typing and backspaces, multi-change events bottom to top,
 * deletes across runs, accepts, copy and paste, undo and redo, chat sessions, marks, disk changes, close and
 * reopen, agent tool calls and shell commands in every order against the editor's reloads) driven through the engine and through a naive oracle that keeps one label per UTF-16 code unit and
 * recomputes everything from scratch. They must agree after every event, except right after a disk change:
 * re-anchoring is a diff heuristic, so there the test measures and asserts its accuracy instead, then carries
 * on from the engine's answer.
 *
 * The oracle also plays VS Code's undo stack: an element is one edit event, or a group of consecutive typing
 * (or backspace) events, and an undo restores exactly the text and labels from before the element. Single-event
 * elements are undone with the exact inverse changes (several, bottom to top); groups with one change computed
 * from the texts, as VS Code merges them. The engine has to reach the same labels by its own means.
 */

// ---- the oracle's model ----

/** `h`, `u`, or an AI label `ai:<event>|<tool>|<kind>|<model>` naming the event that created it. */
type Label = string;

interface Element {
  events: TextChange[][];
  before: { text: string; labels: Label[] };
  after?: { text: string; labels: Label[] };
}

interface SimDoc {
  text: string;
  labels: Label[];
  open: boolean;
  undo: Element[];
  redo: Element[];
  /** The open typing or backspace group: the cursor position it continues from. */
  group?: { kind: 'type' | 'backspace'; cursor: number } | undefined;
}

const aiLabel = (event: string, tool: Tool, kind: AiKind, model?: string): Label =>
  `ai:${event}|${tool}|${kind}|${model ?? ''}`;
const isAiLabel = (l: Label): boolean => l.startsWith('ai:');

// ---- generated intents ----

const TOOLS: Tool[] = ['copilot', 'claude-code', 'cursor', 'ai'];
const unit = fc.constantFrom('a', 'b', ' ', '\n', '\r\n', '😀', 'x', '\t', 'é');
const textArb = (max: number) => fc.string({ unit, minLength: 1, maxLength: max });
const span = fc.record({ pos: fc.nat(), len: fc.nat({ max: 6 }), text: fc.option(textArb(4), { nil: '' }) });

const intentArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('type' as const),
      doc: fc.nat(1),
      pos: fc.nat(),
      text: textArb(3),
      cont: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('backspace' as const), doc: fc.nat(1), pos: fc.nat(), cont: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('replace' as const), doc: fc.nat(1), change: span }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('multi' as const),
      doc: fc.nat(1),
      changes: fc.array(span, { minLength: 2, maxLength: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('accept' as const),
      doc: fc.nat(1),
      kind: fc.constantFrom<AcceptKind>('inline', 'word', 'line', 'nes'),
      tool: fc.constantFrom(...TOOLS),
      model: fc.option(fc.constantFrom('gpt-4.1', 'o3'), { nil: undefined }),
      changes: fc.array(span, { minLength: 1, maxLength: 2 }),
      dangling: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('copy' as const), doc: fc.nat(1), pos: fc.nat(), len: fc.nat({ max: 8 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('paste' as const),
      doc: fc.nat(1),
      pos: fc.nat(),
      len: fc.nat({ max: 3 }),
      fromCopy: fc.boolean(),
      text: textArb(4),
      lands: fc.constantFrom('exact', 'exact', 'other', 'dangling'),
    }),
  },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('undo' as const), doc: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('redo' as const), doc: fc.nat(1) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('chat' as const),
      doc: fc.nat(1),
      start: fc.boolean(),
      tool: fc.constantFrom(...TOOLS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('mark' as const),
      doc: fc.nat(1),
      pos: fc.nat(),
      len: fc.nat({ max: 8 }),
      ai: fc.boolean(),
      tool: fc.constantFrom(...TOOLS),
      kind: fc.option(fc.constantFrom<AiKind>('agent', 'chat'), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('disk' as const),
      doc: fc.nat(1),
      changes: fc.array(span, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('reopen' as const), doc: fc.nat(1) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('agent' as const),
      doc: fc.nat(1),
      change: span,
      // closed: the file is closed while the agent works; after-disk: the editor reloads between the pre-tool and
      // post-tool records; before-disk: the post-tool record comes before the editor sees the file change.
      timing: fc.constantFrom('closed', 'after-disk', 'before-disk'),
      shell: fc.boolean(),
    }),
  },
);
type Intent = typeof intentArb extends fc.Arbitrary<infer T> ? T : never;

// ---- helpers ----

/** Turns random spans into valid changes for `text`: sorted bottom to top, not overlapping. */
function toChanges(text: string, spans: readonly { pos: number; len: number; text: string }[]): TextChange[] {
  const picked = spans.map(s => {
    const offset = s.pos % (text.length + 1);
    return { offset, length: Math.min(s.len, text.length - offset), text: s.text };
  });
  picked.sort((a, b) => b.offset - a.offset);
  const out: TextChange[] = [];
  let limit = text.length;
  for (const c of picked) {
    const length = Math.min(c.length, limit - c.offset);
    if (length < 0) continue;
    out.push({ offset: c.offset, length, text: c.text });
    limit = c.offset;
  }
  return out.filter(c => c.length > 0 || c.text.length > 0);
}

/** Applies changes (bottom to top, offsets before the event) to text and labels. */
function applyChanges(
  text: string,
  labels: Label[],
  changes: readonly TextChange[],
  inserted: (c: TextChange, i: number) => Label[],
): { text: string; labels: Label[] } {
  let t = text;
  let l = labels;
  changes.forEach((c, i) => {
    const ins = inserted(c, i);
    assert.equal(ins.length, c.text.length);
    t = t.slice(0, c.offset) + c.text + t.slice(c.offset + c.length);
    l = [...l.slice(0, c.offset), ...ins, ...l.slice(c.offset + c.length)];
  });
  return { text: t, labels: l };
}

/** The exact inverse of one event's changes, in the order VS Code would deliver it (bottom to top). */
function inverse(before: string, changes: readonly TextChange[]): TextChange[] {
  const removed = changes.map(c => before.slice(c.offset, c.offset + c.length));
  return changes.map((c, i) => {
    let shift = 0;
    for (let j = i + 1; j < changes.length; j++) shift += changes[j]!.text.length - changes[j]!.length;
    return { offset: c.offset + shift, length: c.text.length, text: removed[i]! };
  });
}

/** One change turning `from` into `to`: the common prefix and suffix stay. */
function diffChange(from: string, to: string): TextChange[] {
  let p = 0;
  while (p < from.length && p < to.length && from[p] === to[p]) p++;
  let s = 0;
  while (s < from.length - p && s < to.length - p && from[from.length - 1 - s] === to[to.length - 1 - s]) s++;
  if (p === from.length && p === to.length) return [];
  return [{ offset: p, length: from.length - p - s, text: to.slice(p, to.length - s) }];
}

// ---- the naive line oracle ----

function naiveSummary(text: string, labels: Label[]): FileSummary {
  const lines: { start: number; end: number }[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      lines.push({ start, end: i + 1 });
      start = i + 1;
    }
  }
  if (start < text.length) lines.push({ start, end: text.length });
  const out: FileSummary = { lines: '', ai: 0, mixed: 0, human: 0, unknown: 0, segments: [] };
  lines.forEach(({ start: s, end: e }, n) => {
    let idx: number[] = [];
    for (let i = s; i < e; i++) if (!/\s/.test(text[i]!)) idx.push(i);
    if (idx.length === 0) idx = Array.from({ length: e - s }, (_, k) => s + k);
    const ls = idx.map(i => labels[i]!);
    const ai = ls.filter(isAiLabel);
    const cls = ai.length === ls.length ? 'a' : ai.length > 0 ? 'm' : ls.includes('u') ? 'u' : 'h';
    out.lines += cls;
    if (cls === 'a') out.ai++;
    else if (cls === 'm') out.mixed++;
    else if (cls === 'u') out.unknown++;
    else out.human++;
    if (cls === 'a' || cls === 'm') {
      const counts = new Map<string, number>();
      for (const l of ai) {
        const [, tool, kind] = l.split('|');
        const key = `${tool}|${kind}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      let best = '';
      let bestN = -1;
      for (const [key, count] of counts) if (count > bestN) [best, bestN] = [key, count];
      const [tool, kind] = best.split('|') as [Tool, AiKind];
      const last = out.segments[out.segments.length - 1];
      if (last && last.end === n && last.class === cls && last.tool === tool && last.kind === kind) last.end = n + 1;
      else out.segments.push({ start: n + 1, end: n + 1, class: cls, tool, kind } as Segment);
    }
  });
  return out;
}

// ---- the session ----

const PATHS = ['a.ts', 'b.ts'];

interface DiskStats {
  undoRedoEvents: number;
  keptUnits: number;
  keptSameOrigin: number;
  newUnits: number;
  newLabelledAi: number;
  grownAiOrigins: number;
  agentCalls: number;
  agentOutside: number;
  agentOutsideSame: number;
}

class Session {
  readonly engine: Engine;
  readonly docs = new Map<string, SimDoc>();
  private accept: Label | undefined;
  private copied: { text: string; labels: Label[] } | undefined;
  private readonly pastes = new Map<string, string>();
  private readonly chats = new Map<string, Label>();
  /** Engine AI id <-> oracle AI label: must stay a one-to-one mapping. */
  private readonly idToLabel = new Map<string, Label>();
  private readonly labelToId = new Map<Label, string>();
  private step = 0;
  log: ProvenanceEvent[] = [];

  constructor(
    small: boolean,
    initial: string,
    readonly stats: DiskStats,
  ) {
    this.engine = testEngine(small ? { chunking: { textChunk: 8, runChunk: 4 } } : {});
    this.emit({ t: 'open', path: 'a.ts', text: initial });
    this.docs.set('a.ts', {
      text: initial,
      labels: Array<Label>(initial.length).fill('h'),
      open: true,
      undo: [],
      redo: [],
    });
  }

  private emit(event: ProvenanceEvent): void {
    this.log.push(event);
    this.engine.apply(event);
  }

  /** The labels the engine holds, in oracle terms; checks the id <-> label mapping on the way. */
  /** Binds an engine origin seen for the first time (`?id|fields`) to the oracle's `label`, when the fields agree. */
  private bindTo(placeholder: Label, label: Label): boolean {
    const [id, ...fields] = placeholder.slice(1).split('|');
    if (fields.join('|') !== label.split('|').slice(1).join('|')) return false;
    const bound = this.labelToId.get(label);
    if (bound !== undefined && bound !== id) return false;
    this.idToLabel.set(id!, label);
    this.labelToId.set(label, id!);
    return true;
  }

  private engineLabels(path: string): Label[] {
    const out: Label[] = [];
    for (const r of this.engine.runs(path)) {
      const l = this.translate(r.origin);
      for (let i = 0; i < r.length; i++) out.push(l);
    }
    return out;
  }

  private translate(origin: Origin): Label {
    if (typeof origin === 'string') return origin === 'human' ? 'h' : 'u';
    const known = this.idToLabel.get(origin.id);
    if (known) return known;
    // First sight of this engine origin: find the oracle label it must stand for, by its fields.
    return `?${origin.id}|${origin.tool}|${origin.kind}|${origin.model ?? ''}`;
  }

  /** Asserts engine and oracle agree on every code unit of every open document, and on lines. */
  check(context: string): void {
    for (const [path, doc] of this.docs) {
      assert.equal(this.engine.text(path), doc.text, `${context}: text of ${path}`);
      const actual = this.engineLabels(path);
      assert.equal(actual.length, doc.labels.length);
      for (let i = 0; i < actual.length; i++) {
        let a = actual[i]!;
        const expected = doc.labels[i]!;
        if (a.startsWith('?')) {
          // Bind the new engine id to the oracle's label if the fields agree and neither is bound yet.
          const [idPart, ...fields] = a.slice(1).split('|');
          assert.ok(
            isAiLabel(expected),
            `${context}: ${path}@${i} engine says AI (${fields.join('/')}), oracle says ${expected}`,
          );
          assert.equal(
            fields.join('|'),
            expected.split('|').slice(1).join('|'),
            `${context}: ${path}@${i} tool/kind/model`,
          );
          assert.ok(
            !this.labelToId.has(expected),
            `${context}: ${path}@${i} one oracle event ${expected} maps to two engine origins`,
          );
          this.idToLabel.set(idPart!, expected);
          this.labelToId.set(expected, idPart!);
          const placeholder = a;
          a = expected;
          for (let j = i; j < actual.length; j++) if (actual[j] === placeholder) actual[j] = expected;
        }
        assert.equal(a, expected, `${context}: ${path}@${i} in ${JSON.stringify(doc.text)}`);
      }
      assert.deepEqual(this.engine.summary(path), naiveSummary(doc.text, doc.labels), `${context}: lines of ${path}`);
      assert.deepEqual(summarize(classifyLines(doc.text, this.engine.runs(path))), this.engine.summary(path));
    }
  }

  /** An ordinary edit event: the oracle decides each change's labels by the capture rules. */
  private edit(path: string, changes: TextChange[], element: 'new' | 'group'): void {
    if (changes.length === 0) return;
    const doc = this.docs.get(path)!;
    const accept = this.accept;
    const paste = this.pastes.get(path);
    const chat = this.chats.get(path);
    const copied = this.copied;
    this.accept = undefined;
    this.pastes.delete(path);
    const before = { text: doc.text, labels: doc.labels };
    const next = applyChanges(doc.text, doc.labels, changes, c => {
      const n = c.text.length;
      if (accept) return Array<Label>(n).fill(accept);
      if (paste !== undefined && c.text === paste)
        return copied && copied.text === paste ? copied.labels.slice() : Array<Label>(n).fill('h');
      return Array<Label>(n).fill(chat ?? 'h');
    });
    this.emit({ t: 'edit', path, changes });
    doc.text = next.text;
    doc.labels = next.labels;
    doc.redo = [];
    const top = doc.undo[doc.undo.length - 1];
    if (element === 'group' && top) top.events.push(changes);
    else doc.undo.push({ events: [changes], before });
  }

  private undoRedo(path: string, which: 'undo' | 'redo'): void {
    const doc = this.docs.get(path)!;
    const from = which === 'undo' ? doc.undo : doc.redo;
    const element = from.pop();
    if (!element) return;
    let changes: TextChange[];
    let target: { text: string; labels: Label[] };
    if (which === 'undo') {
      element.after = { text: doc.text, labels: doc.labels };
      target = element.before;
      changes =
        element.events.length === 1
          ? inverse(element.before.text, element.events[0]!)
          : diffChange(doc.text, target.text);
      doc.redo.push(element);
    } else {
      target = element.after!;
      changes = element.events.length === 1 ? element.events[0]! : diffChange(doc.text, target.text);
      doc.undo.push(element);
    }
    // Undo and redo consume the signals an edit would have (capture rules).
    this.accept = undefined;
    this.pastes.delete(path);
    doc.group = undefined;
    if (changes.length === 0) return;
    this.emit({ t: 'edit', path, changes, reason: which });
    this.stats.undoRedoEvents++;
    doc.text = target.text;
    doc.labels = target.labels.slice();
  }

  private forgetHistory(doc: SimDoc): void {
    doc.undo = [];
    doc.redo = [];
    doc.group = undefined;
  }

  run(intent: Intent): void {
    this.step++;
    const path = PATHS[intent.doc]!;
    let doc = this.docs.get(path);
    if (!doc || !doc.open) {
      // The second document opens (or reopens) on first use: unknown text, or what it held when closed.
      const text = doc ? doc.text : 'b😀\n x\r\n';
      this.emit(doc ? { t: 'open', path, text } : { t: 'open', path, text, origin: 'unknown' });
      if (!doc) {
        doc = { text, labels: Array<Label>(text.length).fill('u'), open: true, undo: [], redo: [] };
        this.docs.set(path, doc);
      }
      doc.open = true;
    }
    const len = doc.text.length;
    const at = (pos: number): number => pos % (len + 1);
    if (intent.k !== 'type' && intent.k !== 'backspace') doc.group = undefined;
    switch (intent.k) {
      case 'type': {
        const cont = intent.cont && doc.group?.kind === 'type';
        const offset = cont ? doc.group!.cursor : at(intent.pos);
        this.edit(path, [{ offset, length: 0, text: intent.text }], cont ? 'group' : 'new');
        doc.group = { kind: 'type', cursor: offset + intent.text.length };
        return;
      }
      case 'backspace': {
        const cont = intent.cont && doc.group?.kind === 'backspace';
        const cursor = cont ? doc.group!.cursor : at(intent.pos);
        if (cursor === 0) {
          doc.group = undefined;
          return;
        }
        this.edit(path, [{ offset: cursor - 1, length: 1, text: '' }], cont ? 'group' : 'new');
        doc.group = { kind: 'backspace', cursor: cursor - 1 };
        return;
      }
      case 'replace':
        return this.edit(path, toChanges(doc.text, [intent.change]), 'new');
      case 'multi':
        return this.edit(path, toChanges(doc.text, intent.changes), 'new');
      case 'accept': {
        this.emit(
          intent.model !== undefined
            ? { t: 'accept', kind: intent.kind, tool: intent.tool, model: intent.model }
            : { t: 'accept', kind: intent.kind, tool: intent.tool },
        );
        const kind: AiKind = intent.kind === 'word' || intent.kind === 'line' ? 'partial' : intent.kind;
        this.accept = aiLabel(`accept#${this.step}`, intent.tool, kind, intent.model);
        // A dangling accept waits for whatever edit comes next, on any path.
        if (!intent.dangling) this.edit(path, toChanges(doc.text, intent.changes), 'new');
        return;
      }
      case 'copy': {
        const offset = at(intent.pos);
        const length = Math.min(intent.len, len - offset);
        this.emit({ t: 'copy', path, offset, length });
        this.copied = {
          text: doc.text.slice(offset, offset + length),
          labels: doc.labels.slice(offset, offset + length),
        };
        return;
      }
      case 'paste': {
        const text = intent.fromCopy && this.copied && this.copied.text.length > 0 ? this.copied.text : intent.text;
        this.emit({ t: 'paste', path, text });
        this.pastes.set(path, text);
        if (intent.lands === 'dangling') return;
        const offset = at(intent.pos);
        const landed = intent.lands === 'exact' ? text : `${text}!`;
        return this.edit(path, [{ offset, length: Math.min(intent.len, len - offset), text: landed }], 'new');
      }
      case 'undo':
      case 'redo':
        return this.undoRedo(path, intent.k);
      case 'chat':
        if (intent.start) {
          this.emit({ t: 'chat', path, phase: 'start', tool: intent.tool });
          this.chats.set(path, aiLabel(`chat#${this.step}`, intent.tool, 'chat'));
        } else {
          this.emit({ t: 'chat', path, phase: 'end' });
          this.chats.delete(path);
        }
        return;
      case 'mark': {
        const offset = at(intent.pos);
        const length = Math.min(intent.len, len - offset);
        const label = intent.ai ? aiLabel(`mark#${this.step}`, intent.tool, intent.kind ?? 'manual') : 'h';
        this.emit(
          intent.ai
            ? {
                t: 'mark',
                path,
                offset,
                length,
                as: 'ai',
                tool: intent.tool,
                ...(intent.kind ? { kind: intent.kind } : {}),
              }
            : { t: 'mark', path, offset, length, as: 'human' },
        );
        doc.labels = [
          ...doc.labels.slice(0, offset),
          ...Array<Label>(length).fill(label),
          ...doc.labels.slice(offset + length),
        ];
        // Marks are not undoable in VS Code: the oracle's snapshots no longer describe the text, so it stops undoing.
        this.forgetHistory(doc);
        return;
      }
      case 'disk':
        return this.disk(path, doc, toChanges(doc.text, intent.changes));
      case 'reopen':
        this.emit({ t: 'close', path });
        doc.open = false;
        this.pastes.delete(path);
        this.chats.delete(path);
        this.forgetHistory(doc);
        return;
      case 'agent':
        return this.agent(path, doc, toChanges(doc.text, [intent.change]), intent.timing, intent.shell);
    }
  }

  /**
   * An agent's tool call, as the editor gets it from the agent spool (`agent-call`: the call and the texts the hook
   * saw), in each order it can arrive against the editor's own view of the file. The agent's new text is found by
   * a diff, so, as for disk changes, the oracle checks what must hold and measures the rest, then adopts the
   * engine's answer.
   */
  private agent(path: string, doc: SimDoc, changes: TextChange[], timing: string, shell: boolean): void {
    const before = doc.text;
    const after = applyChanges(before, doc.labels, changes, c => Array<Label>(c.text.length).fill('new')).text;
    if (after === before || before.length === 0) return;
    const label = aiLabel(`agent#${this.step}`, 'claude-code', 'agent');
    const call = (phase: 'pre' | 'post'): ProvenanceEvent => ({
      t: 'agent-call',
      at: '2026-01-01T00:00:00.000Z',
      call: {
        agent: 'claude-code',
        event: phase === 'pre' ? 'PreToolUse' : 'PostToolUse',
        phase,
        tool: shell ? 'Bash' : 'Edit',
        toolUseId: `t${this.step}`,
        origin: { tool: 'claude-code', kind: 'agent' },
        edits: shell ? [] : [{ path, op: 'replace', replacements: [{ old: before, new: after }] }],
        ...(shell ? { shell: { command: `edit ${path}` } } : {}),
      },
      files: [phase === 'pre' ? { path, before } : { path, before, after }],
    });
    if (timing === 'closed') {
      this.emit({ t: 'close', path });
      this.pastes.delete(path);
      this.chats.delete(path);
      this.emit(call('pre'));
      this.emit(call('post'));
      this.emit({ t: 'open', path, text: after });
    } else if (timing === 'after-disk') {
      this.emit(call('pre'));
      this.emit({ t: 'disk', path, text: after });
      this.emit(call('post'));
    } else {
      this.emit(call('post'));
      assert.equal(this.engine.text(path), before, 'an agent record changed the text of an open document');
      this.emit({ t: 'disk', path, text: after });
    }
    this.forgetHistory(doc);
    assert.equal(this.engine.text(path), after);

    // The region the change touched, widened to whole lines (token diffs may take a word or line break beside it).
    let p = 0;
    while (p < before.length && p < after.length && before[p] === after[p]) p++;
    let q = 0;
    while (
      q < before.length - p &&
      q < after.length - p &&
      before[before.length - 1 - q] === after[after.length - 1 - q]
    )
      q++;
    const from = p === 0 ? 0 : after.lastIndexOf('\n', p - 1) + 1;
    const nl = after.indexOf('\n', after.length - q);
    const to = nl < 0 ? after.length : nl + 1;

    const engineIds = new Set<string>();
    const actual: Label[] = [];
    for (const r of this.engine.runs(path)) {
      let l = this.translate(r.origin);
      if (l.startsWith('?')) {
        const [id, ...fields] = l.slice(1).split('|');
        assert.equal(fields.join('|'), 'claude-code|agent|', `${path}: an AI origin that is not the agent's appeared`);
        engineIds.add(id!);
        l = label;
      }
      for (let i = 0; i < r.length; i++) actual.push(l);
    }
    assert.ok(engineIds.size <= 1, 'one tool call gave two origins');
    for (const id of engineIds) {
      this.idToLabel.set(id, label);
      this.labelToId.set(label, id);
    }
    const existing = new Set(doc.labels);
    let agentChars = 0;
    actual.forEach((l, i) => {
      if (l === label) agentChars++;
      else assert.ok(existing.has(l), `${path}@${i}: label ${l} appeared from nowhere`);
    });
    // Where equal text repeats, the diff may put the agent's text at another copy of it; never more of it.
    assert.ok(agentChars <= to - from, `the agent credited ${agentChars} characters for a change of ${to - from}`);
    // Kept text is at most all of the text before: the rest of the new text is the agent's.
    assert.ok(
      agentChars >= after.length - before.length,
      `the agent wrote ${agentChars} of ${after.length - before.length} net new`,
    );
    // Outside the changed lines: measured (a diff may align repeated text differently from the oracle).
    const shift = after.length - before.length;
    for (let i = 0; i < after.length; i++) {
      if (i >= from && i < to) continue;
      const was = doc.labels[i < from ? i : i - shift]!;
      this.stats.agentOutside++;
      if (actual[i] === was) this.stats.agentOutsideSame++;
    }
    this.stats.agentCalls++;
    doc.text = after;
    doc.labels = actual;
  }

  /** A change outside the editor: measure the re-anchoring against the truth, then adopt the engine's answer. */
  private disk(path: string, doc: SimDoc, changes: TextChange[]): void {
    const NEW = '*new*';
    const truth = applyChanges(doc.text, doc.labels, changes, c => Array<Label>(c.text.length).fill(NEW));
    this.emit({ t: 'disk', path, text: truth.text });
    this.forgetHistory(doc);
    if (truth.text === doc.text) return;
    // A chat session holding the file wrote the change (VS Code 1.109+ writes its edits to disk): new text is its.
    const chat = this.chats.get(path);
    const actual = this.engineLabels(path).map(l => (chat && l.startsWith('?') && this.bindTo(l, chat) ? chat : l));
    assert.equal(actual.length, truth.labels.length);
    const before = new Map<string, number>();
    for (const l of doc.labels) if (isAiLabel(l)) before.set(l, (before.get(l) ?? 0) + 1);
    const after = new Map<string, number>();
    truth.labels.forEach((t, i) => {
      const a = actual[i]!;
      if (a !== 'h' && a !== 'u' && a !== chat) after.set(a, (after.get(a) ?? 0) + 1);
      if (t === NEW) {
        this.stats.newUnits++;
        if (a !== 'h' && a !== 'u' && a !== chat) this.stats.newLabelledAi++;
      } else {
        this.stats.keptUnits++;
        if (a === t) this.stats.keptSameOrigin++;
      }
    });
    // No AI origin may cover more characters after re-anchoring than before: new text is never AI.
    for (const [l, n] of after) {
      const known = l.startsWith('?') ? undefined : before.get(l);
      if (known === undefined || n > known) this.stats.grownAiOrigins++;
    }
    doc.text = truth.text;
    doc.labels = actual;
    // Re-check from the engine's answer: unknown for new text never turned into anything else.
    for (let i = 0; i < actual.length; i++)
      assert.ok(!actual[i]!.startsWith('?'), 'an AI origin nobody created appeared');
  }
}

describe('engine against a naive oracle (property)', function () {
  this.timeout(60000);
  const stats: DiskStats = {
    undoRedoEvents: 0,
    keptUnits: 0,
    keptSameOrigin: 0,
    newUnits: 0,
    newLabelledAi: 0,
    grownAiOrigins: 0,
    agentCalls: 0,
    agentOutside: 0,
    agentOutsideSame: 0,
  };

  it('agrees with one label per code unit after every event of random sessions', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.string({ unit, maxLength: 12 }),
        fc.array(intentArb, { minLength: 1, maxLength: 50, size: 'max' }),
        (small, initial, intents) => {
          const session = new Session(small, initial, stats);
          session.check('open');
          intents.forEach((intent, i) => {
            try {
              session.run(intent);
              session.check(`after intent ${i + 1} (${intent.k})`);
            } catch (error) {
              // Show the event log that led here: it is a replayable trace.
              const trace = session.log.map(e => JSON.stringify(e)).join('\n');
              throw new Error(`${error instanceof Error ? error.message : String(error)}\ntrace:\n${trace}`, {
                cause: error,
              });
            }
          });
        },
      ),
      { seed: 20260101, numRuns: 400 },
    );
  });

  it('applied agent calls in every order against the editor, and kept the text around them', () => {
    assert.ok(stats.agentCalls > 200, `only ${stats.agentCalls} agent calls`);
    const kept = stats.agentOutsideSame / Math.max(1, stats.agentOutside);
    console.log(
      `      agent calls: ${stats.agentCalls}; ${(kept * 100).toFixed(1)}% of ${stats.agentOutside} characters around them kept their origin`,
    );
    assert.ok(kept >= 0.95, `characters around agent edits that kept their origin: ${(kept * 100).toFixed(1)}%`);
  });

  it('exercised undo and redo', () => {
    assert.ok(stats.undoRedoEvents > 500, `only ${stats.undoRedoEvents} undo and redo events`);
  });

  it('re-anchors disk changes accurately and never labels new text AI (measured over the sessions above)', () => {
    assert.ok(
      stats.keptUnits > 500,
      `too few kept characters measured (${stats.keptUnits}) for the numbers to mean anything`,
    );
    const accuracy = stats.keptSameOrigin / stats.keptUnits;
    console.log(
      `      re-anchoring: ${(accuracy * 100).toFixed(1)}% of ${stats.keptUnits} kept characters kept their origin; ` +
        `${stats.newLabelledAi} of ${stats.newUnits} new characters were aligned with equal AI characters`,
    );
    // Stated accuracy: at least 94% of the characters a disk change kept keep their origin (95.8% measured with
    // this seed). The rest are characters the diff aligned with an equal character elsewhere: the generator's
    // tiny alphabet makes that far more common than in source code.
    assert.ok(
      accuracy >= 0.94,
      `kept characters with their origin: ${(accuracy * 100).toFixed(1)}% of ${stats.keptUnits}`,
    );
    assert.equal(stats.grownAiOrigins, 0, 'an AI origin covered more characters after re-anchoring than before');
    // A new character may only take an AI origin by being aligned with an equal kept character (then a kept one
    // lost it: the count check above holds); measure how often.
    assert.ok(
      stats.newLabelledAi / Math.max(1, stats.newUnits) <= 0.05,
      `new characters labelled AI: ${stats.newLabelledAi} of ${stats.newUnits}`,
    );
  });
});
