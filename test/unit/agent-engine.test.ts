import * as assert from 'node:assert/strict';
import { diffAttribute, relabelUnexplained, reverseEdit } from '../../src/core/agents/apply';
import type { AgentCall, AgentFileTexts, FileEdit } from '../../src/core/agents/call';
import { rootRelative } from '../../src/core/agents/paths';
import { EngineError } from '../../src/core/attribution/errors';
import type { ProvenanceEvent } from '../../src/core/attribution/events';
import { HUMAN, UNKNOWN, type AiOrigin } from '../../src/core/attribution/origin';
import { applyAll, describeRuns, testEngine } from './support';

const R = '/repo';
const claude = (event: 'PreToolUse' | 'PostToolUse', tool: string, input: object): ProvenanceEvent => ({
  t: 'agent',
  agent: 'claude-code',
  payload: { session_id: 's1', cwd: R, hook_event_name: event, tool_name: tool, tool_input: input, tool_use_id: 't1' },
});
const header: ProvenanceEvent = { t: 'header', v: 1, root: R };
const disk = (path: string, text: string): ProvenanceEvent => ({ t: 'disk', path, text });

function call(edits: FileEdit[], extra: Partial<AgentCall> = {}): AgentCall {
  return {
    agent: 'claude-code',
    event: 'PostToolUse',
    phase: 'post',
    tool: 'Edit',
    origin: { tool: 'claude-code', kind: 'agent' },
    edits,
    ...extra,
  };
}
const texts = (entries: Record<string, AgentFileTexts>): Map<string, AgentFileTexts> =>
  new Map(Object.entries(entries));

describe('agent calls in the engine: exact where the payload says what changed', () => {
  it('attributes only the delta of an Edit: context the agent repeats keeps its origin', () => {
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'a.ts', text: 'one\ntwo\nthree\n' },
      { t: 'close', path: 'a.ts' },
      claude('PostToolUse', 'Edit', {
        file_path: `${R}/a.ts`,
        old_string: 'one\ntwo\n',
        new_string: 'one\ntwo\nNEW\n',
      }),
    ]);
    assert.equal(e.text('a.ts'), 'one\ntwo\nNEW\nthree\n');
    assert.equal(describeRuns(e, 'a.ts'), 'h*8 claude-code/agent*4 h*6');
    assert.equal(e.summary('a.ts').lines, 'hhah');
  });

  it('gives the session to the origin, and each tool call one origin', () => {
    const e = applyAll(testEngine(), [
      header,
      claude('PostToolUse', 'Write', { file_path: `${R}/n.ts`, content: 'a\nb\n' }),
    ]);
    const origin = e.runs('n.ts')[0]!.origin as AiOrigin;
    assert.deepEqual(
      { tool: origin.tool, kind: origin.kind, session: origin.session },
      { tool: 'claude-code', kind: 'agent', session: 's1' },
    );
  });

  it('diffs a Write of an existing file: unchanged lines keep their origin', () => {
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'w.ts', text: 'keep\nold\n' },
      { t: 'close', path: 'w.ts' },
      claude('PostToolUse', 'Write', { file_path: `${R}/w.ts`, content: 'keep\nnew\n' }),
    ]);
    assert.equal(e.summary('w.ts').lines, 'ha');
  });

  it('replaces every occurrence with replace_all, and applies MultiEdit edits in order', () => {
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'm.ts', text: 'x = foo;\ny = foo;\n' },
      { t: 'close', path: 'm.ts' },
      claude('PostToolUse', 'Edit', {
        file_path: `${R}/m.ts`,
        old_string: 'foo',
        new_string: 'bar',
        replace_all: true,
      }),
      claude('PostToolUse', 'MultiEdit', {
        file_path: `${R}/m.ts`,
        edits: [
          { old_string: 'x = bar;\n', new_string: 'x = bar;\nz = 1;\n' },
          { old_string: 'z = 1', new_string: 'z = 2' },
        ],
      }),
    ]);
    assert.equal(e.text('m.ts'), 'x = bar;\nz = 2;\ny = bar;\n');
    assert.equal(e.summary('m.ts').lines, 'mam');
  });

  it('applies patch hunks in order after their anchor line', () => {
    const patch = '*** Begin Patch\n*** Update File: p.py\n@@ def b():\n-    return 1\n+    return 2\n*** End Patch\n';
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'p.py', text: 'def a():\n    return 1\ndef b():\n    return 1\n' },
      { t: 'close', path: 'p.py' },
      {
        t: 'agent',
        agent: 'codex',
        payload: {
          session_id: 's',
          cwd: R,
          hook_event_name: 'PostToolUse',
          model: 'gpt-5-codex',
          tool_name: 'apply_patch',
          tool_input: { command: patch },
          tool_use_id: 'c',
          tool_response: '',
        },
      },
    ]);
    assert.equal(e.text('p.py'), 'def a():\n    return 1\ndef b():\n    return 2\n');
    // The agent changed a value on a line a person wrote: that line is mixed.
    assert.equal(e.summary('p.py').lines, 'hhhm');
    assert.equal((e.runs('p.py').find(r => typeof r.origin !== 'string')!.origin as AiOrigin).model, 'gpt-5-codex');
  });

  it('gives Cursor Tab edits kind inline, choosing the match nearest the given line', () => {
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'c.ts', text: 'let a = 1;\nlet a = 1;\n' },
      { t: 'close', path: 'c.ts' },
      {
        t: 'agent',
        agent: 'cursor',
        payload: {
          conversation_id: 'c1',
          generation_id: 'g',
          model: 'm',
          hook_event_name: 'afterTabFileEdit',
          workspace_roots: [R],
          file_path: `${R}/c.ts`,
          edits: [
            {
              old_string: 'let a = 1;',
              new_string: 'let a = 2;',
              range: { start_line_number: 2, start_column: 1, end_line_number: 2, end_column: 11 },
            },
          ],
        },
      },
    ]);
    assert.equal(e.text('c.ts'), 'let a = 1;\nlet a = 2;\n');
    assert.deepEqual(e.summary('c.ts').segments, [{ start: 2, end: 2, class: 'm', tool: 'cursor', kind: 'inline' }]);
  });
});

describe('agent calls in the engine: what nobody saw is unknown', () => {
  it('re-anchors a closed file to the pre-tool snapshot first (unseen changes unknown), then applies the edit', () => {
    const e = testEngine();
    e.restore('f.ts', 'a\nb\n', [{ length: 4, origin: HUMAN }]);
    e.applyAgentCall(
      call([{ path: 'f.ts', op: 'replace', replacements: [{ old: 'b\n', new: 'b\nc\n' }] }], { phase: 'pre' }),
      { files: texts({ 'f.ts': { before: 'a\nSEEN BY NOBODY\nb\n' } }) },
    );
    e.applyAgentCall(call([{ path: 'f.ts', op: 'replace', replacements: [{ old: 'b\n', new: 'b\nc\n' }] }]), {
      files: texts({ 'f.ts': { after: 'a\nSEEN BY NOBODY\nb\nc\n' } }),
    });
    assert.equal(e.summary('f.ts').lines, 'huha');
  });

  it("without a pre snapshot, works the before text back from the after text (a person's line stays unknown)", () => {
    const e = testEngine();
    e.restore('g.ts', 'x\n', [{ length: 2, origin: HUMAN }]);
    const report = e.applyAgentCall(
      call([{ path: 'g.ts', op: 'replace', replacements: [{ old: 'x\n', new: 'x\nagent\n' }] }]),
      { files: texts({ 'g.ts': { after: 'x\nagent\nperson\n' } }) },
    );
    assert.deepEqual(report, { changed: ['g.ts'], skipped: [] });
    assert.equal(e.summary('g.ts').lines, 'hau');
  });

  it("marks what changed besides the payload's edit unknown (a formatter after the tool)", () => {
    const e = testEngine();
    e.restore('h.ts', 'a\nb\n', [{ length: 4, origin: HUMAN }]);
    e.applyAgentCall(call([{ path: 'h.ts', op: 'write', content: 'a\nb\nc\n' }]), {
      files: texts({ 'h.ts': { after: 'A\nb\nc\n' } }),
    });
    assert.equal(e.summary('h.ts').lines, 'uha');
  });

  it("falls back to a diff when the edit does not apply, the agent's text only where its new string is", () => {
    const e = testEngine();
    e.restore('d.ts', 'one\n', [{ length: 4, origin: HUMAN }]);
    // The payload's old_string is not in the known text and its new string occurs twice: nothing exact to go on.
    e.applyAgentCall(call([{ path: 'd.ts', op: 'replace', replacements: [{ old: 'zzz', new: 'two\n' }] }]), {
      files: texts({ 'd.ts': { after: 'one\ntwo\nthree\ntwo\n' } }),
    });
    assert.equal(e.summary('d.ts').lines, 'haua');
  });

  it("attributes a shell command's changes from its before and after snapshots, and never invents AI without a before", () => {
    const e = testEngine();
    e.restore('s.txt', 'a\n', [{ length: 2, origin: HUMAN }]);
    e.restore('t.txt', 'x\n', [{ length: 2, origin: HUMAN }]);
    const shell = call([], { tool: 'Bash', shell: { command: 'make' } });
    e.applyAgentCall(shell, {
      files: texts({
        's.txt': { before: 'a\n', after: 'a\nb\n' },
        't.txt': { after: 'x\ny\n' },
        'new.txt': { beforeMissing: true, after: 'n\n' },
      }),
    });
    assert.equal(e.summary('s.txt').lines, 'ha');
    assert.equal(e.summary('t.txt').lines, 'hu');
    assert.equal(e.summary('new.txt').lines, 'a');
  });

  it('a shell command on an open document names the author of what it changed only, not of every unknown character', () => {
    const e = applyAll(testEngine(), [
      { t: 'open', path: 'o.txt', text: 'a\nb\n', origin: 'unknown' },
      { t: 'disk', path: 'o.txt', text: 'a\nb\nc\n' },
    ]);
    e.applyAgentCall(call([], { tool: 'Bash', shell: { command: 'echo c >> o.txt' } }), {
      files: texts({ 'o.txt': { before: 'a\nb\n', after: 'a\nb\nc\n' } }),
    });
    assert.equal(e.summary('o.txt').lines, 'uua');
  });

  it("a shell command that moves a file (mv, git mv) keeps its text's origin: a person's file does not become the agent's", () => {
    const e = testEngine();
    e.restore('mine.txt', 'by hand\n', [{ length: 8, origin: HUMAN }]);
    e.applyAgentCall(call([], { tool: 'Bash', shell: { command: 'mv mine.txt moved.txt' } }), {
      files: texts({
        'mine.txt': { before: 'by hand\n', afterMissing: true },
        'moved.txt': { beforeMissing: true, after: 'by hand\n' },
        'made.txt': { beforeMissing: true, after: 'new\n' },
      }),
    });
    assert.equal(e.summary('moved.txt').lines, 'h', 'moved, not written');
    assert.equal(e.has('mine.txt'), false);
    assert.equal(e.summary('made.txt').lines, 'a', 'a file the command made is still its own');
  });

  it("a fuzzy match bracketed by the hook's snapshots: the agent's re-indented text is its own, a person's line typed meanwhile is not", () => {
    const e = testEngine();
    const before = 'function f() {\n\treturn 1;\n}\n';
    e.restore('g.ts', before, [{ length: before.length, origin: HUMAN }]);
    const after = '// person note\nfunction f() {\n\treturn 2;\n\tnext();\n}\n';
    e.applyAgentCall(
      call([{ path: 'g.ts', op: 'replace', replacements: [{ old: '  return 1;', new: '  return 2;\n  next();' }] }], {
        agent: 'gemini-cli',
        tool: 'replace',
        origin: { tool: 'gemini-cli', kind: 'agent' },
      }),
      { files: texts({ 'g.ts': { before, after } }) },
    );
    assert.equal(e.summary('g.ts').lines, 'uhmah');
  });

  it('matches an edit sent with \\n to a file with CRLF line ends', () => {
    const e = testEngine();
    e.restore('w.txt', 'a\r\nb\r\n', [{ length: 6, origin: HUMAN }]);
    e.applyAgentCall(call([{ path: 'w.txt', op: 'replace', replacements: [{ old: 'a\n', new: 'a\nx\n' }] }]), {
      files: texts({ 'w.txt': { after: 'a\r\nx\r\nb\r\n' } }),
    });
    assert.equal(e.summary('w.txt').lines, 'hah');
  });

  it("uses the record's time as the origin's time", () => {
    const e = testEngine();
    e.applyAgentCall(call([{ path: 'n.ts', op: 'write', content: 'x\n' }]), {
      files: texts({ 'n.ts': { beforeMissing: true, after: 'x\n' } }),
      at: '2026-11-02T10:00:00.000Z',
    });
    assert.equal((e.runs('n.ts')[0]!.origin as AiOrigin).at, '2026-11-02T10:00:00.000Z');
  });
});

describe('agent calls in the engine: a payload that arrives after the disk event it caused', () => {
  it('explains the re-anchored unknown text of a closed file (trace: post after disk)', () => {
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'x.ts', text: 'a\n' },
      { t: 'close', path: 'x.ts' },
      disk('x.ts', 'a\nb\nc\n'),
    ]);
    assert.equal(e.summary('x.ts').lines, 'huu');
    e.apply(claude('PostToolUse', 'Edit', { file_path: `${R}/x.ts`, old_string: 'a\n', new_string: 'a\nb\n' }));
    assert.equal(e.text('x.ts'), 'a\nb\nc\n');
    assert.equal(e.summary('x.ts').lines, 'hau', "only the edit's text is explained; c stays unknown");
  });

  it("with the hook's after text: relabels an open document at once when its text is already there", () => {
    const e = applyAll(testEngine(), [{ t: 'open', path: 'o.ts', text: 'one\n' }, disk('o.ts', 'one\ntwo\n')]);
    e.applyAgentCall(call([{ path: 'o.ts', op: 'replace', replacements: [{ old: 'one\n', new: 'one\ntwo\n' }] }]), {
      files: texts({ 'o.ts': { after: 'one\ntwo\n' } }),
    });
    assert.equal(e.summary('o.ts').lines, 'ha');
    assert.equal(e.isOpen('o.ts'), true);
  });

  it("never changes an open document's text; the edit waits for the disk event that brings it", () => {
    const e = applyAll(testEngine(), [{ t: 'open', path: 'q.ts', text: 'one\n' }]);
    e.applyAgentCall(call([{ path: 'q.ts', op: 'write', content: 'one\nagent\n' }]), {
      files: texts({ 'q.ts': { after: 'one\nagent\n' } }),
    });
    assert.equal(e.text('q.ts'), 'one\n', 'the editor has not reloaded yet');
    e.apply(disk('q.ts', 'one\nagent\n'));
    assert.equal(e.summary('q.ts').lines, 'ha');
  });

  it('explains a new file that a disk event brought first: a Write is all AI, an Edit only its text, never applied twice', () => {
    const write = { file_path: `${R}/n.ts`, content: 'hello\nworld\n' };
    const e = applyAll(testEngine(), [header, disk('n.ts', 'hello\nworld\n'), claude('PostToolUse', 'Write', write)]);
    assert.equal(e.summary('n.ts').lines, 'aa');
    const edit = { file_path: `${R}/y.ts`, old_string: 'x\n', new_string: 'x\nb\n' };
    applyAll(e, [disk('y.ts', 'x\nb\nx\n'), claude('PostToolUse', 'Edit', edit)]);
    assert.equal(e.text('y.ts'), 'x\nb\nx\n', 'the edit was applied to the text that already had it');
    assert.equal(e.summary('y.ts').lines, 'uau');
    // A post whose edit is not in the text is not this disk event's cause: it applies to the known text.
    applyAll(e, [
      disk('z.ts', 'a\n'),
      claude('PostToolUse', 'Edit', { file_path: `${R}/z.ts`, old_string: 'a\n', new_string: 'a\nc\n' }),
    ]);
    assert.equal(e.text('z.ts'), 'a\nc\n');
    assert.equal(e.summary('z.ts').lines, 'ua');
  });

  it('gives a shell command what changed on disk between its PreToolUse and PostToolUse, and nothing without the pre', () => {
    const sed = { command: 'sed -i s/b/c/ x.ts' };
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'x.ts', text: 'a\nb\n' },
      { t: 'close', path: 'x.ts' },
      disk('x.ts', 'a\nb\np\n'), // a person's change, before the command
      claude('PreToolUse', 'Bash', sed),
      disk('x.ts', 'a\nc\np\n'),
      claude('PostToolUse', 'Bash', sed),
    ]);
    assert.equal(e.summary('x.ts').lines, 'hau');
    applyAll(e, [disk('x.ts', 'a\nc\nq\n'), claude('PostToolUse', 'Bash', sed)]);
    assert.equal(e.summary('x.ts').lines, 'hau', 'a post without its pre explains nothing');
    applyAll(e, [claude('PreToolUse', 'Bash', { command: 'touch w.ts' }), disk('w.ts', 'made\n')]);
    applyAll(e, [claude('PostToolUse', 'Bash', { command: 'touch w.ts' })]);
    assert.equal(e.summary('w.ts').lines, 'u', 'a file never seen before: whether it is new is not known');
  });

  it("a disk event the person has since typed over explains nothing: a later shell record does not relabel the file's unknown text", () => {
    const e = applyAll(testEngine(), [
      { t: 'open', path: 's.ts', text: '' },
      disk('s.ts', 'old\n'), // text from outside, long before the agent: unknown
      { t: 'edit', path: 's.ts', changes: [{ offset: 0, length: 0, text: 'mine\n' }] },
    ]);
    e.applyAgentCall(
      { ...call([]), tool: 'Bash', shell: { command: "sed -i '1i x' s.ts" } },
      { files: texts({ 's.ts': { before: 'mine\nold\n', after: 'x\nmine\nold\n' } }) },
    );
    e.apply(disk('s.ts', 'x\nmine\nold\n'));
    assert.equal(e.summary('s.ts').lines, 'ahu', "only the line the command wrote is the agent's");
  });

  it('applies a record delivered twice once', () => {
    const e = testEngine();
    e.restore('r.ts', 'a\n', [{ length: 2, origin: HUMAN }]);
    const c = call([{ path: 'r.ts', op: 'replace', replacements: [{ old: 'a\n', new: 'a\nb\n' }] }]);
    const files = texts({ 'r.ts': { after: 'a\nb\n' } });
    e.applyAgentCall(c, { files });
    const first = describeRuns(e, 'r.ts');
    e.applyAgentCall(c, { files });
    assert.equal(describeRuns(e, 'r.ts'), first);
  });
});

describe('agent calls in the engine: traces are strict, foreign paths are skipped', () => {
  it('refuses an edit whose old text is not in the known file, or of a file whose text is unknown, changing nothing', () => {
    const e = applyAll(testEngine(), [header, disk('a.ts', 'x\n')]);
    assert.throws(
      () => e.apply(claude('PostToolUse', 'Edit', { file_path: `${R}/a.ts`, old_string: 'nope', new_string: 'y' })),
      (err: unknown) => err instanceof EngineError && /its old text is not in the file/.test(err.message),
    );
    assert.throws(
      () => e.apply(claude('PostToolUse', 'Edit', { file_path: `${R}/b.ts`, old_string: 'x', new_string: 'y' })),
      /not known/,
    );
    // A patch over two files, the second failing: the first is not changed either.
    const patch = '*** Begin Patch\n*** Add File: new.ts\n+n\n*** Update File: a.ts\n@@\n-missing\n+m\n*** End Patch\n';
    assert.throws(
      () =>
        e.apply({
          t: 'agent',
          agent: 'codex',
          payload: {
            cwd: R,
            hook_event_name: 'PostToolUse',
            model: 'm',
            session_id: 's',
            tool_name: 'apply_patch',
            tool_input: { command: patch },
            tool_use_id: 'x',
            tool_response: '',
          },
        }),
      EngineError,
    );
    assert.deepEqual(e.paths(), ['a.ts']);
  });

  it('skips files outside the trace root and inside .git, and reports malformed payloads as trace errors', () => {
    const e = applyAll(testEngine(), [
      header,
      claude('PostToolUse', 'Write', { file_path: '/etc/passwd', content: 'x' }),
      claude('PostToolUse', 'Write', { file_path: `${R}/.git/hooks/pre-commit`, content: 'x' }),
    ]);
    assert.deepEqual(e.paths(), []);
    assert.throws(
      () => e.apply(claude('PostToolUse', 'Write', { content: 'x' })),
      /claude-code payload: Write: tool input has no "file_path"/,
    );
  });

  it('in lenient mode (spool ingestion) skips what does not apply and reports why', () => {
    const e = testEngine();
    const report = e.applyAgentCall(call([{ path: 'u.ts', op: 'replace', replacements: [{ old: 'a', new: 'b' }] }]));
    assert.deepEqual(report, {
      changed: [],
      skipped: [{ path: 'u.ts', reason: "the file's text before the tool ran is not known" }],
    });
  });
});

describe('agent attribution helpers', () => {
  const ai: AiOrigin = { id: 'a', tool: 'codex', kind: 'agent', at: '' };

  it('diffAttribute keeps kept text (unknown stays unknown) and gives new text the origin', () => {
    assert.deepEqual(
      diffAttribute(
        {
          text: 'ab',
          runs: [
            { length: 1, origin: UNKNOWN },
            { length: 1, origin: HUMAN },
          ],
        },
        'abc',
        ai,
      ),
      [
        { length: 1, origin: UNKNOWN },
        { length: 1, origin: HUMAN },
        { length: 1, origin: ai },
      ],
    );
  });

  it('relabelUnexplained names what the chat-session signal labelled, and keeps every other label', () => {
    const chat: AiOrigin = { id: 'c', tool: 'copilot', kind: 'chat', at: '' };
    const inline: AiOrigin = { id: 'i', tool: 'copilot', kind: 'inline', at: '' };
    assert.deepEqual(
      relabelUnexplained(
        [
          { length: 2, origin: chat },
          { length: 2, origin: inline },
          { length: 2, origin: chat },
        ],
        // The record says AI for the first four characters only: the rest keeps the chat's label.
        [
          { length: 4, origin: ai },
          { length: 2, origin: UNKNOWN },
        ],
      ),
      [
        { length: 2, origin: ai },
        { length: 2, origin: inline },
        { length: 2, origin: chat },
      ],
    );
  });

  it('relabelUnexplained only names unknown text', () => {
    assert.deepEqual(
      relabelUnexplained(
        [
          { length: 2, origin: HUMAN },
          { length: 2, origin: UNKNOWN },
        ],
        [{ length: 4, origin: ai }],
      ),
      [
        { length: 2, origin: HUMAN },
        { length: 2, origin: ai },
      ],
    );
  });

  it('reverseEdit works back only when the new text is unambiguous', () => {
    const edit: FileEdit = { path: 'a', op: 'replace', replacements: [{ old: 'x', new: 'y' }] };
    assert.equal(reverseEdit('a y b', edit), 'a x b');
    assert.equal(reverseEdit('y y', edit), undefined);
    assert.equal(reverseEdit('y y', { ...edit, replacements: [{ old: 'x', new: 'y', line: 1 }] }), 'x y');
  });

  it('maps payload paths to root-relative paths, refusing the outside and .git', () => {
    assert.equal(rootRelative('/repo/src/a.ts', '/repo'), 'src/a.ts');
    assert.equal(rootRelative('src/../lib/b.ts', '/repo', '/repo'), 'lib/b.ts');
    assert.equal(rootRelative('b.ts', '/repo', 'sub'), 'sub/b.ts');
    assert.equal(rootRelative('../../etc/passwd', '/repo', '/repo/src'), undefined);
    assert.equal(rootRelative('/repository/x', '/repo'), undefined);
    assert.equal(rootRelative('/repo/.git/config', '/repo'), undefined);
    assert.equal(rootRelative('/repo', '/repo'), undefined);
    assert.equal(rootRelative('C:\\work\\a.ts', 'C:/work'), 'a.ts');
    assert.equal(rootRelative('a/b', undefined), 'a/b');
    assert.equal(rootRelative('/abs', undefined), undefined);
  });
});

describe("VS Code 1.109+: a chat editing session writes the file to disk, the agent's hooks report it", () => {
  const vscodeAgent = (event: 'PreToolUse' | 'PostToolUse', input: object): ProvenanceEvent => ({
    t: 'agent',
    agent: 'vscode',
    payload: {
      timestamp: '2026-12-07T12:04:24.368Z',
      hook_event_name: event,
      session_id: 'chat-1',
      transcript_path: '/u/workspaceStorage/x/GitHub.copilot-chat/transcripts/chat-1.jsonl',
      tool_name: 'replace_string_in_file',
      tool_input: input,
      tool_use_id: 'call_1__vscode-1',
      cwd: R,
      ...(event === 'PostToolUse' ? { tool_response: '' } : {}),
    },
  });
  const before = 'export const a = 1;\n\nexport const c = 3;\n';
  const after = 'export const a = 1;\nexport const b = 2;\n\nexport const c = 3;\n';
  const chatStart: ProvenanceEvent = { t: 'chat', path: 'a.ts', phase: 'start', tool: 'copilot' };
  /** The session's call as its hooks report it: b added after a. */
  const input = {
    filePath: `${R}/a.ts`,
    oldString: 'export const a = 1;\n',
    newString: 'export const a = 1;\nexport const b = 2;\n',
  };

  it('labels what the reload adds to a file the session holds as the chat’s, and only that', () => {
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'a.ts', text: before },
      chatStart,
      disk('a.ts', after),
    ]);
    assert.equal(e.summary('a.ts').lines, 'hahh');
    assert.equal(describeRuns(e, 'a.ts'), 'h*20 copilot/chat*20 h*21');
    assert.deepEqual(
      e.takeAiRemovals().map(r => r.lines),
      [],
    );
  });

  it('records the lines such a reload removes as the chat’s removals', () => {
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'a.ts', text: after },
      chatStart,
      disk('a.ts', before),
    ]);
    assert.deepEqual(
      e.takeAiRemovals().map(r => ({ path: r.path, lines: r.lines, tool: r.origin.tool, kind: r.origin.kind })),
      [{ path: 'a.ts', lines: ['export const b = 2;'], tool: 'copilot', kind: 'chat' }],
    );
  });

  it('leaves a reload outside any session unknown', () => {
    const e = applyAll(testEngine(), [header, { t: 'open', path: 'a.ts', text: before }, disk('a.ts', after)]);
    assert.equal(e.summary('a.ts').lines, 'huhh');
  });

  it('lets the hook record, which arrives after the reload, name the session’s lines exactly', () => {
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'a.ts', text: before },
      chatStart,
      vscodeAgent('PreToolUse', input),
      disk('a.ts', after),
      vscodeAgent('PostToolUse', input),
    ]);
    assert.equal(describeRuns(e, 'a.ts'), 'h*20 copilot/agent*20 h*21');
    const origin = e.runs('a.ts')[1]!.origin as AiOrigin;
    assert.equal(origin.session, 'chat-1');
  });

  it('and when the record comes before the editor sees the reload', () => {
    const e = applyAll(testEngine(), [
      header,
      { t: 'open', path: 'a.ts', text: before },
      chatStart,
      vscodeAgent('PreToolUse', input),
      vscodeAgent('PostToolUse', input),
      disk('a.ts', after),
    ]);
    assert.equal(describeRuns(e, 'a.ts'), 'h*20 copilot/agent*20 h*21');
  });
});
