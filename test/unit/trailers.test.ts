import * as assert from 'node:assert/strict';
import {
  formatAiAttribution,
  formatAssistedBy,
  parseAiAttribution,
  TrailerFormatError,
} from '../../src/core/formats/trailers';
import { removedLines } from '../../src/core/commit/attribution';
import { buildAgentTrace, parseRemovedLines } from '../../src/core/formats/git-note';

describe('commit trailers (docs/formats.md)', () => {
  it('formats AI-Attribution with tools largest first', () => {
    const value = formatAiAttribution({
      added: 120,
      ai: 40,
      mixed: 5,
      unknown: 3,
      tools: [
        { tool: 'copilot', kind: 'inline', lines: 12 },
        { tool: 'claude-code', kind: 'agent', lines: 30 },
        { tool: 'copilot', kind: 'partial', lines: 3 },
      ],
    });
    assert.equal(
      value,
      'v1 added=120 ai=40 mixed=5 unknown=3 tools=claude-code/agent:30,copilot/inline:12,copilot/partial:3',
    );
  });

  it('orders equal counts by tool then kind, and drops zero entries', () => {
    const value = formatAiAttribution({
      added: 4,
      ai: 4,
      mixed: 0,
      unknown: 0,
      tools: [
        { tool: 'codex', kind: 'agent', lines: 2 },
        { tool: 'ai', kind: 'manual', lines: 2 },
        { tool: 'cline', kind: 'agent', lines: 0 },
      ],
    });
    assert.equal(value, 'v1 added=4 ai=4 mixed=0 unknown=0 tools=ai/manual:2,codex/agent:2');
  });

  it('writes an empty tools list when no line is AI', () => {
    assert.equal(
      formatAiAttribution({ added: 7, ai: 0, mixed: 0, unknown: 2, tools: [] }),
      'v1 added=7 ai=0 mixed=0 unknown=2 tools=',
    );
  });

  it('round-trips through the parser', () => {
    const a = {
      added: 9,
      ai: 3,
      mixed: 1,
      unknown: 0,
      tools: [{ tool: 'gemini-cli' as const, kind: 'agent' as const, lines: 4 }],
    };
    assert.deepEqual(parseAiAttribution(formatAiAttribution(a)), a);
    assert.deepEqual(parseAiAttribution('v1 added=0 ai=0 mixed=0 unknown=0 tools='), {
      added: 0,
      ai: 0,
      mixed: 0,
      unknown: 0,
      tools: [],
    });
  });

  it('writes one Assisted-by per distinct agent and model, with agent names and clean models', () => {
    assert.deepEqual(
      formatAssistedBy([
        { tool: 'claude-code', model: 'claude-sonnet-4-5' },
        { tool: 'copilot' },
        { tool: 'claude-code', model: 'claude-sonnet-4-5' },
        { tool: 'copilot', model: 'gpt 4.1\n' },
        { tool: 'ai' },
      ]),
      ['AI', 'Claude:claude-sonnet-4-5', 'Copilot', 'Copilot:gpt-4.1'],
    );
  });

  it('tolerates fields a later version adds', () => {
    assert.equal(parseAiAttribution('v1 added=2 ai=1 mixed=0 unknown=0 tools=copilot/nes:1 reviewed=yes').ai, 1);
  });

  for (const [value, reason] of [
    ['v2 added=1 ai=1 mixed=0 unknown=0 tools=ai/manual:1', /start with v1/],
    ['v1 added=1 ai=1 mixed=0 tools=ai/manual:1', /unknown= is missing/],
    ['v1 added=1 ai=-1 mixed=0 unknown=0 tools=', /ai=-1 is not a whole number/],
    ['v1 added=1 ai=1 ai=0 mixed=0 unknown=0 tools=', /ai appears twice/],
    ['v1 added=1 ai=1 mixed=0 unknown=0', /tools= is missing/],
    ['v1 added=1 ai=1 mixed=0 unknown=0 tools=robot/agent:1', /unknown tool "robot"/],
    ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/typed:1', /unknown kind "typed"/],
    ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot', /is not <tool>\/<kind>:<lines>/],
    ['v1 added=1 ai=5 mixed=0 unknown=0 tools=', /more than added/],
    ['v1 added=1e3 ai=0 mixed=0 unknown=0 tools=', /not a whole number/],
  ] as const) {
    it(`rejects ${value}`, () => {
      assert.throws(
        () => parseAiAttribution(value),
        (e: unknown) => e instanceof TrailerFormatError && reason.test(e.message),
      );
    });
  }

  it('says how many files the hook skipped, only when some were, and reads it back strictly', () => {
    const base = {
      added: 4,
      ai: 2,
      mixed: 0,
      unknown: 2,
      tools: [{ tool: 'codex' as const, kind: 'agent' as const, lines: 2 }],
    };
    assert.equal(formatAiAttribution(base), 'v1 added=4 ai=2 mixed=0 unknown=2 tools=codex/agent:2');
    const skipped = formatAiAttribution({ ...base, skipped: 1 });
    assert.equal(skipped, 'v1 added=4 ai=2 mixed=0 unknown=2 tools=codex/agent:2 skipped=1');
    assert.equal(parseAiAttribution(skipped).skipped, 1);
    assert.equal(
      parseAiAttribution('v1 added=4 ai=2 mixed=0 unknown=2 tools=codex/agent:2').skipped,
      undefined,
      'records before 0.2',
    );
    assert.throws(
      () => parseAiAttribution(`${formatAiAttribution(base)} skipped=some`),
      /skipped=some is not a whole number/,
    );
  });

  it('says how many removed lines an AI removed, after skipped, and reads it back strictly', () => {
    const none = { added: 0, ai: 0, mixed: 0, unknown: 0, tools: [] };
    const value = formatAiAttribution({ ...none, deleted: 3 });
    assert.equal(value, 'v1 added=0 ai=0 mixed=0 unknown=0 tools= deleted=3');
    assert.equal(parseAiAttribution(value).deleted, 3);
    assert.equal(
      formatAiAttribution({ ...none, skipped: 1, deleted: 2 }),
      'v1 added=0 ai=0 mixed=0 unknown=0 tools= skipped=1 deleted=2',
    );
    assert.equal(parseAiAttribution('v1 added=0 ai=0 mixed=0 unknown=0 tools=').deleted, undefined);
    assert.throws(() => parseAiAttribution(`${value} deleted=1`), /deleted appears twice/);
    assert.throws(
      () => parseAiAttribution('v1 added=0 ai=0 mixed=0 unknown=0 tools= deleted=-1'),
      /not a whole number/,
    );
  });
});

describe('git note: the lines an AI removed (docs/formats.md)', () => {
  it('numbers removed lines in the text before, leaving blank lines out', () => {
    assert.deepEqual(removedLines('a\n\nb\nc\nd\n', 'a\nc\nX\n'), [
      { line: 3, text: 'b' },
      { line: 5, text: 'd' },
    ]);
    assert.deepEqual(removedLines('only\n', ''), [{ line: 1, text: 'only' }]);
  });

  it('writes them under our metadata as ranges per file and AI, and reads them back; old notes have none', () => {
    const note = JSON.stringify(
      buildAgentTrace(
        {
          files: [],
          attribution: { added: 0, ai: 0, mixed: 0, unknown: 0, tools: [], deleted: 3 },
          agents: [{ tool: 'claude-code' }],
          removed: [{ path: 'src/guard.ts', lines: [2, 3, 7], tool: 'claude-code', kind: 'agent', model: 'm' }],
        },
        { id: 'i', timestamp: 't', revision: 'r', toolVersion: '0.2.0' },
      ),
    );
    assert.deepEqual(parseRemovedLines(note), [
      {
        path: 'src/guard.ts',
        tool: 'claude-code',
        kind: 'agent',
        model: 'm',
        ranges: [
          { start_line: 2, end_line: 3 },
          { start_line: 7, end_line: 7 },
        ],
      },
    ]);
    assert.deepEqual(parseRemovedLines('{"files":[],"metadata":{"dev.ai-provenance":{"attribution":""}}}'), []);
    // A malformed entry is left out, the rest is read.
    const odd =
      '{"files":[],"metadata":{"dev.ai-provenance":{"removed":[{"path":1},{"path":"a","tool":"codex","kind":"agent","ranges":[{"start_line":0,"end_line":2},{"start_line":4,"end_line":4}]}]}}}';
    assert.deepEqual(parseRemovedLines(odd), [
      { path: 'a', tool: 'codex', kind: 'agent', ranges: [{ start_line: 4, end_line: 4 }] },
    ]);
  });
});
