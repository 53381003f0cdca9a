import * as assert from 'node:assert/strict';
import {
  jsonHookLayout,
  AgentConfigError,
  agentHookState,
  deepEqual,
  detectIndent,
  isOurCommand,
  mergeAgentHooks,
  removeAgentHooks,
} from '../../src/core/agents/hook-config';
import { AgentRecordError, parseAgentSpoolRecord, recordFileTexts } from '../../src/core/agents/record';

const CMD = "'/home/dev/.local/share/ai-provenance/bin/ai-provenance' agent-hook claude-code";
const claude = jsonHookLayout('claude-code')!;

const theirs = {
  model: 'opus',
  permissions: { allow: ['Bash(npm test)'] },
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './guard.sh' }] }],
    Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
  },
};

describe('agent hook configs: merging our entries (pure)', () => {
  it('adds our entries beside everything else, and removing them gives the original back', () => {
    const merged = mergeAgentHooks(theirs, claude, CMD);
    assert.equal(merged.changed, true);
    const c = merged.config as typeof theirs & { hooks: Record<string, unknown[]> };
    assert.equal(c.model, 'opus');
    // Their Stop hook stays; ours (a turn's end closes background shell tasks) comes after it.
    assert.deepEqual(c.hooks.Stop, [...theirs.hooks.Stop, { hooks: [{ type: 'command', command: CMD, timeout: 10 }] }]);
    assert.deepEqual(c.hooks.PreToolUse, [
      theirs.hooks.PreToolUse[0],
      { matcher: 'Write|Edit|MultiEdit|NotebookEdit|Bash', hooks: [{ type: 'command', command: CMD, timeout: 10 }] },
    ]);
    assert.deepEqual(Object.keys(c.hooks), ['PreToolUse', 'Stop', 'PostToolUse', 'PostToolUseFailure']);
    const removed = removeAgentHooks(merged.config, claude);
    assert.ok(deepEqual(removed.config, theirs));
    assert.equal(removed.empty, false);
  });

  it("is idempotent, replaces an entry for another launcher path, and keeps a shared group's other hooks", () => {
    const once = mergeAgentHooks(theirs, claude, CMD).config;
    assert.equal(mergeAgentHooks(once, claude, CMD).changed, false);
    assert.equal(agentHookState(once, claude, CMD), 'installed');
    const moved = "'/opt/other/ai-provenance' agent-hook claude-code";
    assert.equal(agentHookState(once, claude, moved), 'outdated');
    const again = mergeAgentHooks(once, claude, moved).config as {
      hooks: Record<string, { hooks: { command: string }[] }[]>;
    };
    assert.equal(JSON.stringify(again).includes(CMD), false);
    assert.equal(again.hooks.PreToolUse!.length, 2);
    // Someone put our command into their own group: only our handler goes.
    const shared = {
      hooks: {
        PostToolUse: [
          {
            matcher: 'Edit',
            hooks: [
              { type: 'command', command: 'prettier' },
              { type: 'command', command: CMD },
            ],
          },
        ],
      },
    };
    assert.deepEqual(removeAgentHooks(shared, claude).config, {
      hooks: { PostToolUse: [{ matcher: 'Edit', hooks: [{ type: 'command', command: 'prettier' }] }] },
    });
  });

  it("creates a new file's content from nothing, and says when removing leaves nothing", () => {
    const cursor = jsonHookLayout('cursor')!;
    const fresh = mergeAgentHooks(undefined, cursor, "'/l/ai-provenance' agent-hook cursor").config as {
      version: number;
      hooks: Record<string, unknown[]>;
    };
    assert.equal(fresh.version, 1);
    assert.deepEqual(fresh.hooks.preToolUse, [
      { command: "'/l/ai-provenance' agent-hook cursor", timeout: 10, matcher: 'Shell' },
    ]);
    assert.deepEqual(fresh.hooks.afterTabFileEdit, [{ command: "'/l/ai-provenance' agent-hook cursor", timeout: 10 }]);
    const removed = removeAgentHooks(fresh, cursor);
    assert.deepEqual(removed.config, { version: 1 });
    assert.equal(removed.empty, true);
  });

  it("refuses a file whose shape is not the agent's", () => {
    assert.throws(() => mergeAgentHooks([], claude, CMD), AgentConfigError);
    assert.throws(() => mergeAgentHooks({ hooks: [] }, claude, CMD), /"hooks" is not an object/);
    assert.throws(
      () => mergeAgentHooks({ hooks: { PreToolUse: {} } }, claude, CMD),
      /"hooks.PreToolUse" is not a list/,
    );
    assert.equal(agentHookState('nonsense', claude, CMD), 'missing');
  });

  it('recognizes our command for its agent only', () => {
    assert.equal(isOurCommand(CMD, 'claude-code'), true);
    assert.equal(isOurCommand(CMD, 'codex'), false);
    assert.equal(isOurCommand('/usr/bin/ai-provenance agent-hook cline', 'cline'), true);
    assert.equal(isOurCommand('my-tool agent-hook cline', 'cline'), false);
    assert.equal(isOurCommand("'/x/ai-provenance' agent-hook claude-code-extra", 'claude-code'), false);
  });

  it("keeps the file's indentation", () => {
    assert.equal(detectIndent('{\n    "a": 1\n}'), '    ');
    assert.equal(detectIndent('{\n\t"a": 1\n}'), '\t');
    assert.equal(detectIndent('{}'), 2);
  });
});

describe('agent spool records', () => {
  const record = {
    type: 'agent-hook',
    v: 1,
    at: '2026-11-02T10:00:00.000Z',
    call: {
      agent: 'codex',
      event: 'PostToolUse',
      phase: 'post',
      tool: 'apply_patch',
      model: 'gpt-5-codex',
      origin: { tool: 'codex', kind: 'agent' },
      edits: [{ path: 'src/a.ts', op: 'replace', ordered: true, replacements: [{ old: 'a', new: 'b', anchor: 'x' }] }],
    },
    files: [{ path: 'src/a.ts', after: 'b', note: 'kept' }],
  };

  it('parses what the hook writes', () => {
    const parsed = parseAgentSpoolRecord(record);
    assert.equal(parsed.call.model, 'gpt-5-codex');
    assert.deepEqual([...recordFileTexts(parsed)], [['src/a.ts', { after: 'b' }]]);
  });

  it('refuses records that would make the engine guess', () => {
    const bad = (patch: object, pattern: RegExp): void =>
      assert.throws(
        () => parseAgentSpoolRecord({ ...record, ...patch }),
        (e: unknown) => e instanceof AgentRecordError && pattern.test(e.message),
      );
    bad({ v: 2 }, /unknown agent-hook record version 2/);
    bad({ at: 'yesterday' }, /ISO time/);
    bad({ files: [{ path: '../etc/passwd', after: '' }] }, /files\[0\]\.path must be a repository path/);
    bad({ call: { ...record.call, agent: 'hal' } }, /not a known agent/);
    bad({ call: { ...record.call, origin: { tool: 'skynet', kind: 'agent' } } }, /known tool and kind/);
    bad({ call: { ...record.call, edits: [{ path: 'a', op: 'rename' }] } }, /op must be/);
  });
});
