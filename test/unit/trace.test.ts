import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TraceError, parseEvent, replayTrace } from '../../src/core/formats/replay-trace';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'traces');

const lines = (...events: unknown[]): string =>
  events.map(e => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n';

const agentCall = {
  agent: 'claude-code',
  event: 'PostToolUse',
  phase: 'post',
  tool: 'Write',
  origin: { tool: 'claude-code', kind: 'agent' },
  edits: [{ path: 'a', op: 'write', content: 'x' }],
};

function replayError(trace: string): TraceError {
  try {
    replayTrace(trace);
  } catch (error) {
    assert.ok(error instanceof TraceError, `expected a TraceError, got ${String(error)}`);
    return error;
  }
  assert.fail('the trace replayed without an error');
}

describe('replay traces: fixtures written by hand from the spec', () => {
  const traces = fs
    .readdirSync(fixtures)
    .filter(f => f.endsWith('.jsonl') && fs.existsSync(path.join(fixtures, f.replace(/\.jsonl$/, '.expected.json'))));

  it('has fixtures', () => assert.ok(traces.length >= 4, traces.join(', ')));

  for (const file of traces) {
    it(`replays ${file} to its expected output`, () => {
      const expected = JSON.parse(
        fs.readFileSync(path.join(fixtures, file.replace(/\.jsonl$/, '.expected.json')), 'utf8'),
      );
      const actual = replayTrace(fs.readFileSync(path.join(fixtures, file), 'utf8'));
      assert.deepEqual(actual, expected);
      // Key order is part of the contract: compare the serialized form too.
      assert.equal(JSON.stringify(actual), JSON.stringify(expected));
    });
  }
});

describe('replay traces: output', () => {
  it('prints nothing but an empty file list for an empty trace, and skips blank lines', () => {
    assert.deepEqual(replayTrace(''), { files: {} });
    assert.deepEqual(replayTrace('\n\n  \n'), { files: {} });
  });

  it('reads traces with CRLF line endings and a leading byte order mark', () => {
    const trace = lines({ t: 'open', path: 'a', text: 'x\n' }, { t: 'save', path: 'a' }).replace(/\n/g, '\r\n');
    assert.equal(replayTrace(trace).files.a!.lines, 'h');
    assert.equal(replayTrace(`\ufeff${trace}`).files.a!.lines, 'h');
  });

  it('reports closed files and renamed files under their new path, sorted by path', () => {
    const out = replayTrace(
      lines(
        { t: 'open', path: 'z.ts', text: 'z\n' },
        { t: 'open', path: 'old.ts', text: '' },
        { t: 'accept', kind: 'inline', tool: 'copilot' },
        { t: 'edit', path: 'old.ts', changes: [{ offset: 0, length: 0, text: 'ai\n' }] },
        { t: 'rename', from: 'old.ts', to: 'new.ts' },
        { t: 'close', path: 'z.ts' },
      ),
    );
    assert.deepEqual(Object.keys(out.files), ['new.ts', 'z.ts']);
    assert.equal(out.files['new.ts']!.lines, 'a');
    assert.equal(out.files['z.ts']!.lines, 'h');
  });

  it('accepts agent events and files first seen on disk', () => {
    const out = replayTrace(
      lines({ t: 'agent', agent: 'codex', payload: { anything: [1, 2] } }, { t: 'disk', path: 'gen.ts', text: 'a\nb' }),
    );
    assert.deepEqual(out.files['gen.ts'], { lines: 'uu', ai: 0, mixed: 0, human: 0, unknown: 2, segments: [] });
  });
});

describe('replay traces: errors name the line and what is wrong', () => {
  const open = { t: 'open', path: 'a.ts', text: 'abc' };
  const cases: [string, string, number, RegExp][] = [
    ['invalid JSON', lines(open, '{"t":"edit",'), 2, /not valid JSON/],
    ['not an object', lines('[1,2]'), 1, /must be a JSON object/],
    ['no type', lines({ path: 'a' }), 1, /needs "t"/],
    ['unknown event type', lines(open, { t: 'teleport', path: 'a.ts' }), 2, /unknown event type "teleport"/],
    ['unknown key', lines(open, { t: 'edit', path: 'a.ts', changes: [], reson: 'undo' }), 2, /unknown key "reson"/],
    ['missing key', lines({ t: 'open', path: 'a.ts' }), 1, /missing "text"/],
    ['wrong type', lines({ t: 'open', path: 'a.ts', text: 5 }), 1, /"text" must be a string, got 5/],
    [
      'negative offset',
      lines(open, { t: 'copy', path: 'a.ts', offset: -1, length: 1 }),
      2,
      /"offset" must be a whole number >= 0/,
    ],
    [
      'fractional length',
      lines(open, { t: 'edit', path: 'a.ts', changes: [{ offset: 0, length: 0.5, text: '' }] }),
      2,
      /change 1: "length" must be a whole number/,
    ],
    [
      'bad change key',
      lines(open, { t: 'edit', path: 'a.ts', changes: [{ offset: 0, length: 0, text: '', range: 1 }] }),
      2,
      /unknown key "range"/,
    ],
    ['changes not an array', lines(open, { t: 'edit', path: 'a.ts', changes: {} }), 2, /"changes" must be an array/],
    [
      'bad reason',
      lines(open, { t: 'edit', path: 'a.ts', changes: [], reason: 'typing' }),
      2,
      /"reason" must be one of "undo", "redo"/,
    ],
    ['unknown tool', lines({ t: 'accept', kind: 'inline', tool: 'skynet' }), 1, /"tool" must be one of "copilot"/],
    [
      'unknown accept kind',
      lines({ t: 'accept', kind: 'all', tool: 'copilot' }),
      1,
      /"kind" must be one of "inline", "word", "line", "nes"/,
    ],
    ['unknown agent', lines({ t: 'agent', agent: 'hal', payload: {} }), 1, /"agent" must be one of "claude-code"/],
    ['chat start without tool', lines(open, { t: 'chat', path: 'a.ts', phase: 'start' }), 2, /needs "tool"/],
    [
      'human mark with a tool',
      lines(open, { t: 'mark', path: 'a.ts', offset: 0, length: 1, as: 'human', tool: 'copilot' }),
      2,
      /cannot carry/,
    ],
    ['header version', lines({ t: 'header', v: 2 }), 1, /"v" must be 1/],
    ['header not first', lines(open, { t: 'header', v: 1 }), 2, /must be the first event/],
    [
      'edit on a path never opened',
      lines(open, { t: 'edit', path: 'b.ts', changes: [{ offset: 0, length: 0, text: 'x' }] }),
      2,
      /b\.ts is not tracked/,
    ],
    ['save on a path never opened', lines({ t: 'save', path: 'b.ts' }), 1, /b\.ts is not tracked/],
    [
      'mark on a path never opened',
      lines({ t: 'mark', path: 'b.ts', offset: 0, length: 0, as: 'human' }),
      1,
      /not tracked/,
    ],
    [
      'offset outside the text',
      lines(open, { t: 'edit', path: 'a.ts', changes: [{ offset: 4, length: 0, text: 'x' }] }),
      2,
      /outside the text, which has 3 UTF-16 code units/,
    ],
    ['copy outside the text', lines(open, { t: 'copy', path: 'a.ts', offset: 1, length: 5 }), 2, /outside the text/],
    [
      'changes out of order',
      lines(open, {
        t: 'edit',
        path: 'a.ts',
        changes: [
          { offset: 0, length: 0, text: 'x' },
          { offset: 2, length: 0, text: 'y' },
        ],
      }),
      2,
      /bottom to top/,
    ],
    [
      'edit after close',
      lines(open, { t: 'close', path: 'a.ts' }, { t: 'edit', path: 'a.ts', changes: [] }),
      3,
      /was closed/,
    ],
    ['empty path', lines({ t: 'open', path: '', text: '' }), 1, /non-empty path/],
    [
      'agent-call with a call that is not one',
      lines({ t: 'agent-call', at: '2026-11-01T10:00:00.000Z', call: { agent: 'claude-code' }, files: [] }),
      1,
      /"agent-call" event: call\.phase must be pre or post/,
    ],
    [
      'agent-call with a file outside the trace',
      lines({ t: 'agent-call', at: '2026-11-01T10:00:00.000Z', call: agentCall, files: [{ path: '../x', after: '' }] }),
      1,
      /files\[0\]\.path must be a repository path/,
    ],
  ];
  for (const [name, trace, line, pattern] of cases) {
    it(name, () => {
      const error = replayError(trace);
      assert.equal(error.line, line, error.message);
      assert.match(error.reason, pattern);
      assert.equal(error.message, `line ${line}: ${error.reason}`);
    });
  }

  it('counts blank lines in line numbers', () => {
    assert.equal(replayError('\n\n{"t":"nope"}\n').line, 3);
  });

  it('parses every event type of section 7', () => {
    const events = [
      { t: 'header', v: 1, root: '/repo' },
      { t: 'open', path: 'a', text: 'x', origin: 'unknown' },
      { t: 'edit', path: 'a', changes: [{ offset: 0, length: 0, text: 'x' }], reason: 'redo' },
      { t: 'accept', kind: 'nes', tool: 'copilot', model: 'gpt-4.1' },
      { t: 'copy', path: 'a', offset: 0, length: 1 },
      { t: 'paste', path: 'a', text: 'x' },
      { t: 'chat', path: 'a', phase: 'start', tool: 'copilot', model: 'm' },
      { t: 'disk', path: 'a', text: '' },
      { t: 'agent', agent: 'claude-code', payload: { a: 1 } },
      {
        t: 'agent-call',
        at: '2026-11-01T10:00:00.000Z',
        call: agentCall,
        files: [{ path: 'a', before: '', after: 'x' }],
      },
      { t: 'mark', path: 'a', offset: 0, length: 1, as: 'ai', tool: 'ai', kind: 'agent', model: 'm' },
      { t: 'save', path: 'a' },
      { t: 'close', path: 'a' },
      { t: 'rename', from: 'a', to: 'b' },
    ];
    for (const e of events) assert.deepEqual(parseEvent(JSON.stringify(e)), e);
  });
});
