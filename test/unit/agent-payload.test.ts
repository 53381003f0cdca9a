import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRelevantCall, type AgentCall, type FileEdit } from '../../src/core/agents/call';
import { PatchFormatError, parsePatch, parseSearchReplace } from '../../src/core/agents/patch';
import { AgentPayloadError, interpretAgentPayload } from '../../src/core/agents/payload';
import { AGENTS, type AgentName } from '../../src/core/attribution/events';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'agents');
const P = '/home/dev/project';

function fixture(agent: AgentName, name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(fixtures, agent, name), 'utf8'));
}

function call(agent: AgentName, name: string): AgentCall {
  const c = interpretAgentPayload(agent, fixture(agent, name), { requireEvent: true });
  assert.ok(c, `${agent}/${name} was not read as a tool call`);
  return c;
}

describe('agent payloads: every fixture is a documented shape we read', () => {
  for (const agent of AGENTS) {
    const files = fs.readdirSync(path.join(fixtures, agent)).filter(f => f.endsWith('.json') && f !== 'session.json');
    it(`${agent}: has fixtures and a README naming their sources`, () => {
      assert.ok(files.length >= 4, files.join(', '));
      assert.match(
        fs.readFileSync(path.join(fixtures, agent, 'README.md'), 'utf8'),
        /^<!--\nSources for these payload shapes:/,
      );
    });
    for (const file of files) {
      it(`${agent}/${file} is a relevant call of ${agent}`, () => {
        const c = call(agent, file);
        assert.ok(isRelevantCall(c));
        assert.equal(c.phase, /^(pre|before)-/.test(file) ? 'pre' : 'post');
        assert.equal(c.origin.kind, file.startsWith('after-tab') ? 'inline' : 'agent');
      });
    }
  }
});

describe('agent payloads: Claude Code', () => {
  it('reads Write, Edit, MultiEdit, NotebookEdit and Bash with the session, transcript and tool id', () => {
    const w = call('claude-code', 'pre-write.json');
    assert.deepEqual(
      {
        agent: w.agent,
        event: w.event,
        phase: w.phase,
        tool: w.tool,
        session: w.session,
        toolUseId: w.toolUseId,
        cwd: w.cwd,
        origin: w.origin,
      },
      {
        agent: 'claude-code',
        event: 'PreToolUse',
        phase: 'pre',
        tool: 'Write',
        session: '6e1bb1f0-3a0e-4c2b-9d7a-2f4b8c1e5a10',
        toolUseId: 'toolu_01A',
        cwd: P,
        origin: { tool: 'claude-code', kind: 'agent' },
      },
    );
    assert.match(w.transcriptPath!, /\.jsonl$/);
    assert.deepEqual(w.edits, [
      { path: `${P}/src/claude.ts`, op: 'write', content: 'export const alpha = 1;\nexport const beta = 2;\n' },
    ]);
    assert.deepEqual(call('claude-code', 'post-edit.json').edits, [
      {
        path: `${P}/src/app.ts`,
        op: 'replace',
        replacements: [
          { old: "  console.log('start');\n", new: "  console.log('start');\n  console.log('claude was here');\n" },
        ],
      },
    ]);
    const m = call('claude-code', 'post-multiedit.json').edits[0] as Extract<FileEdit, { op: 'replace' }>;
    assert.equal(m.replacements.length, 2);
    assert.equal(m.replacements[1]!.new, 'export const alpha = 10;');
    assert.deepEqual(call('claude-code', 'post-notebookedit.json').edits, [
      { path: `${P}/analysis.ipynb`, op: 'unknown' },
    ]);
    const bash = call('claude-code', 'pre-bash.json');
    assert.deepEqual(bash.shell, { command: "echo 'built by the agent' >> README.md" });
    assert.deepEqual(bash.edits, []);
  });

  it("reads a sub-agent's call from its own transcript (its model), and never from a path an agent_id could steer", () => {
    const base = {
      ...(fixture('claude-code', 'post-edit.json') as object),
      transcript_path: '/h/.claude/projects/p/s1.jsonl',
    };
    const sub = interpretAgentPayload('claude-code', {
      ...base,
      agent_id: 'a9b063ae5ae1abaa0',
      agent_type: 'general-purpose',
    })!;
    assert.equal(sub.transcriptPath, '/h/.claude/projects/p/s1/subagents/agent-a9b063ae5ae1abaa0.jsonl');
    const hostile = interpretAgentPayload('claude-code', { ...base, agent_id: '../../../etc/passwd' })!;
    assert.equal(hostile.transcriptPath, '/h/.claude/projects/p/s1.jsonl');
  });

  it('reads a background shell task from its post-tool payload, and the tasks still running from a Stop', () => {
    const base = { session_id: 's', cwd: '/r', transcript_path: '/t.jsonl', tool_use_id: 'b1' };
    const bg = interpretAgentPayload('claude-code', {
      ...base,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'sleep 9; make', run_in_background: true },
      tool_response: { stdout: '', backgroundTaskId: 'bv0a7l4i3' },
    })!;
    assert.deepEqual(bg.background, { taskId: 'bv0a7l4i3' });
    const odd = interpretAgentPayload('claude-code', {
      ...base,
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'x', run_in_background: true },
      tool_response: { backgroundTaskId: '../../x' },
    })!;
    assert.equal(odd.background, undefined, 'a task id that is not a plain id is not one');
    const stop = interpretAgentPayload('claude-code', {
      ...base,
      hook_event_name: 'Stop',
      background_tasks: [
        { id: 'a', type: 'shell', status: 'running' },
        { id: 'b', type: 'shell', status: 'completed' },
      ],
    })!;
    assert.deepEqual(
      { phase: stop.phase, stop: stop.stop, session: stop.session, relevant: isRelevantCall(stop) },
      {
        phase: 'post',
        stop: { running: ['a'], idle: false },
        session: 's',
        relevant: true,
      },
    );
  });

  it('reads replace_all and a failed tool (PostToolUseFailure)', () => {
    const payload = {
      ...(fixture('claude-code', 'post-edit.json') as object),
      hook_event_name: 'PostToolUseFailure',
      tool_input: { file_path: '/x/a', old_string: 'a', new_string: 'b', replace_all: true },
    };
    const c = interpretAgentPayload('claude-code', payload)!;
    assert.equal(c.failed, true);
    assert.equal(isRelevantCall(c), false, 'a failed edit changed nothing');
    assert.deepEqual((c.edits[0] as Extract<FileEdit, { op: 'replace' }>).replacements, [
      { old: 'a', new: 'b', all: true },
    ]);
  });

  it('reads a VS Code payload run from a Claude Code hook entry as VS Code, as 1.139 sends it and as documented', () => {
    const observed = fixture('vscode', 'post-create-file.json') as Record<string, unknown>;
    const c = interpretAgentPayload('claude-code', observed)!;
    assert.deepEqual(
      [c.agent, c.origin.tool, c.session],
      ['vscode', 'copilot', '8a1f3c5e-7b9d-4f2a-a1c3-e5f7092b4d6c'],
    );
    // Known by its tool-use id alone (a transcript elsewhere), and by its transcript alone.
    const byId = { ...observed, transcript_path: '/tmp/t.jsonl' };
    assert.equal(interpretAgentPayload('claude-code', byId)!.agent, 'vscode');
    const byTranscript = { ...observed, tool_use_id: 'call_1' };
    assert.equal(interpretAgentPayload('claude-code', byTranscript)!.agent, 'vscode');
    // The documented shape: camelCase common fields.
    const { hook_event_name: event, session_id: session, ...rest } = observed;
    const documented = { ...rest, hookEventName: event, sessionId: session, tool_use_id: 'call_1' };
    assert.equal(interpretAgentPayload('claude-code', documented)!.agent, 'vscode');
    // Claude Code's own payload stays Claude Code's.
    assert.equal(interpretAgentPayload('claude-code', { ...byId, tool_use_id: 'toolu_1' })!.agent, 'claude-code');
  });

  it('ignores other events and tools that write nothing', () => {
    assert.equal(
      interpretAgentPayload('claude-code', { hook_event_name: 'UserPromptSubmit', session_id: 's', prompt: 'hi' }),
      undefined,
    );
    const read = interpretAgentPayload('claude-code', {
      hook_event_name: 'PreToolUse',
      tool_name: 'Read',
      tool_input: { file_path: '/a' },
    })!;
    assert.equal(isRelevantCall(read), false);
  });

  it('says what is wrong with a malformed payload', () => {
    const bad = (payload: unknown, pattern: RegExp, agent: AgentName = 'claude-code'): void =>
      assert.throws(
        () => interpretAgentPayload(agent, payload, { requireEvent: true }),
        (e: unknown) => e instanceof AgentPayloadError && pattern.test(e.message),
      );
    bad([1, 2], /must be a JSON object/);
    bad('text', /must be a JSON object/);
    bad({ tool_name: 'Write' }, /no "hook_event_name"/);
    bad({ hook_event_name: 'PreToolUse' }, /no "tool_name"/);
    bad(
      { hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { content: 'x' } },
      /Write: tool input has no "file_path"/,
    );
    bad(
      {
        hook_event_name: 'PreToolUse',
        tool_name: 'Edit',
        tool_input: { file_path: '/a', old_string: 1, new_string: '' },
      },
      /"old_string" must be a string/,
    );
    bad(
      { hook_event_name: 'PreToolUse', tool_name: 'MultiEdit', tool_input: { file_path: '/a', edits: [] } },
      /"edits" must be a non-empty array/,
    );
    bad({ hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: 5 }, /"tool_input" must be an object/);
    bad({ hookName: 'PreToolUse' }, /no "preToolUse" object/, 'cline');
    // Without requireEvent (replay traces carry any payload), a payload without an event is not a tool event.
    assert.equal(interpretAgentPayload('claude-code', { anything: 1 }), undefined);
  });
});

describe('agent payloads: Codex', () => {
  it('reads apply_patch from tool_input.command, with the model', () => {
    const add = call('codex', 'pre-apply-patch-add.json');
    assert.equal(add.model, 'gpt-5-codex');
    assert.deepEqual(add.edits, [
      { path: 'src/codex.ts', op: 'write', content: 'export const alpha = 1;\nexport const beta = 2;\n' },
    ]);
    assert.deepEqual(call('codex', 'post-apply-patch-update.json').edits, [
      {
        path: 'src/app.ts',
        op: 'replace',
        ordered: true,
        replacements: [
          {
            old: "  console.log('start');\n}\n",
            new: "  console.log('start');\n  console.log('codex was here');\n}\n",
            anchor: 'export function main(): void {',
          },
        ],
      },
    ]);
    assert.deepEqual(call('codex', 'pre-bash.json').shell, { command: "echo 'built by the agent' >> README.md" });
  });

  it('reads the Edit and Write matcher aliases when they carry a patch', () => {
    const payload = {
      ...(fixture('codex', 'post-apply-patch-add.json') as Record<string, unknown>),
      tool_name: 'Write',
    };
    assert.equal(interpretAgentPayload('codex', payload)!.edits[0]!.op, 'write');
  });
});

describe('agent payloads: Gemini CLI', () => {
  it('reads write_file, replace and run_shell_command', () => {
    assert.equal(call('gemini-cli', 'before-write-file.json').edits[0]!.op, 'write');
    const r = call('gemini-cli', 'after-replace-2.json');
    assert.equal(r.event, 'AfterTool');
    assert.deepEqual(r.edits, [
      {
        path: `${P}/src/gemini.ts`,
        op: 'replace',
        replacements: [{ old: 'export const beta = 2;\n', new: 'export const beta = 2;\nexport const gamma = 3;\n' }],
      },
    ]);
    assert.equal(call('gemini-cli', 'before-shell.json').shell?.command, "echo 'built by the agent' >> README.md");
  });

  it('reads allow_multiple and expected_replacements > 1 as every occurrence, an empty old_string as a new file, and tool_response.error as a failure', () => {
    const base = fixture('gemini-cli', 'after-replace-2.json') as Record<string, unknown>;
    const many = interpretAgentPayload('gemini-cli', {
      ...base,
      tool_input: { file_path: '/a', old_string: 'x', new_string: 'y', expected_replacements: 3 },
    })!;
    assert.equal((many.edits[0] as Extract<FileEdit, { op: 'replace' }>).replacements[0]!.all, true);
    // Gemini CLI 0.61 says allow_multiple instead.
    const all = interpretAgentPayload('gemini-cli', {
      ...base,
      tool_input: { file_path: '/a', old_string: 'x', new_string: 'y', allow_multiple: true },
    })!;
    assert.equal((all.edits[0] as Extract<FileEdit, { op: 'replace' }>).replacements[0]!.all, true);
    const one = interpretAgentPayload('gemini-cli', {
      ...base,
      tool_input: { file_path: '/a', old_string: 'x', new_string: 'y', allow_multiple: false },
    })!;
    assert.equal((one.edits[0] as Extract<FileEdit, { op: 'replace' }>).replacements[0]!.all, undefined);
    const create = interpretAgentPayload('gemini-cli', {
      ...base,
      tool_input: { file_path: '/a', old_string: '', new_string: 'hello\n' },
    })!;
    assert.deepEqual(create.edits, [{ path: '/a', op: 'write', content: 'hello\n' }]);
    const failed = interpretAgentPayload('gemini-cli', {
      ...base,
      tool_response: { llmContent: '', error: 'Failed to edit, 0 occurrences found' },
    })!;
    assert.equal(failed.failed, true);
  });
});

describe('agent payloads: Cursor', () => {
  it('reads afterFileEdit as the agent, afterTabFileEdit as an inline accept with its line', () => {
    const a = call('cursor', 'after-file-edit.json');
    assert.deepEqual(
      { session: a.session, model: a.model, cwd: a.cwd, origin: a.origin },
      {
        session: 'b7e3c1d2-5a4f-4e6b-9c8d-1f2e3a4b5c6d',
        model: 'claude-sonnet-4-20250514',
        cwd: P,
        origin: { tool: 'cursor', kind: 'agent' },
      },
    );
    const tab = call('cursor', 'after-tab-file-edit.json');
    assert.deepEqual(tab.origin, { tool: 'cursor', kind: 'inline' });
    assert.equal((tab.edits[0] as Extract<FileEdit, { op: 'replace' }>).replacements[0]!.line, 2);
  });

  it('reads Shell tool hooks and beforeShellExecution as shell commands', () => {
    const pre = call('cursor', 'pre-tool-use-shell.json');
    assert.deepEqual(
      { phase: pre.phase, toolUseId: pre.toolUseId, shell: pre.shell },
      { phase: 'pre', toolUseId: 'tool_7f3e', shell: { command: "echo 'built by the agent' >> README.md" } },
    );
    assert.equal(
      call('cursor', 'before-shell-execution.json').shell?.command,
      "echo 'built by the agent' >> README.md",
    );
    assert.equal(
      interpretAgentPayload('cursor', { hook_event_name: 'beforeReadFile', file_path: '/a', content: '' }),
      undefined,
    );
  });
});

describe('agent payloads: Cline', () => {
  it('reads write_to_file, replace_in_file (SEARCH/REPLACE) and execute_command relative to the workspace root', () => {
    const w = call('cline', 'pre-write-to-file.json');
    assert.deepEqual(
      { session: w.session, cwd: w.cwd, tool: w.tool },
      { session: '1762077590123', cwd: P, tool: 'write_to_file' },
    );
    assert.deepEqual(call('cline', 'post-replace-in-file-2.json').edits, [
      {
        path: 'src/cline.ts',
        op: 'replace',
        ordered: true,
        replacements: [
          { old: 'export const alpha = 1;\n', new: 'export const alpha = 10;\n' },
          { old: 'export const beta = 2;\n', new: 'export const beta = 2;\nexport const gamma = 3;\n' },
        ],
      },
    ]);
    assert.equal(call('cline', 'post-execute-command.json').shell?.command, "echo 'built by the agent' >> README.md");
    const failed = fixture('cline', 'post-write-to-file.json') as { postToolUse: Record<string, unknown> };
    failed.postToolUse.success = false;
    assert.equal(interpretAgentPayload('cline', failed)!.failed, true);
  });
});

describe('agent payloads: the Cline CLI 3', () => {
  it('reads tool_call and tool_result with the call id: editor replace, create, insert; run_commands', () => {
    const pre = call('cline', 'pre-cli-editor.json');
    assert.deepEqual([pre.phase, pre.tool, pre.toolUseId, pre.cwd], ['pre', 'editor', 'call_1_0', P]);
    assert.deepEqual(call('cline', 'post-cli-editor.json').edits, [
      {
        path: 'src/app.ts',
        op: 'replace',
        replacements: [
          { old: "  console.log('start');", new: "  console.log('start');\n  console.log('cline was here');" },
        ],
      },
    ]);
    const payload = fixture('cline', 'post-cli-editor.json') as { tool_result: { input: Record<string, unknown> } };
    payload.tool_result.input = { path: 'n.ts', new_text: 'x\n' };
    assert.deepEqual(interpretAgentPayload('cline', payload)!.edits, [{ path: 'n.ts', op: 'write', content: 'x\n' }]);
    payload.tool_result.input = { path: 'n.ts', new_text: 'y', insert_line: 3 };
    assert.deepEqual(interpretAgentPayload('cline', payload)!.edits, [
      { path: 'n.ts', op: 'replace', replacements: [{ old: '', new: 'y' }] },
    ]);
    assert.equal(call('cline', 'pre-cli-run-commands.json').shell?.command, "echo 'built by the agent' >> README.md");
  });

  it("takes the CLI's session from sessionContext (its record names the model), else the task", () => {
    assert.equal(call('cline', 'post-cli-editor.json').session, '1795588125208_ihkn2');
    assert.equal(
      call('cline', 'post-write-to-file.json').session,
      (fixture('cline', 'post-write-to-file.json') as { taskId: string }).taskId,
    );
    const odd = {
      ...(fixture('cline', 'post-cli-editor.json') as Record<string, unknown>),
      sessionContext: { rootSessionId: '../x' },
    };
    assert.equal(interpretAgentPayload('cline', odd)!.session, 'conv_1795588125437_wjj2gu5');
  });

  it('marks a tool_result whose output says it failed', () => {
    const payload = fixture('cline', 'post-cli-editor.json') as { tool_result: { output: Record<string, unknown> } };
    payload.tool_result.output = { query: 'edit:src/app.ts', result: 'not found', success: false };
    assert.equal(interpretAgentPayload('cline', payload)!.failed, true);
  });
});

describe('agent payloads: VS Code', () => {
  it('reads create_file, replace_string_in_file, multi_replace_string_in_file, run_in_terminal', () => {
    assert.deepEqual(call('vscode', 'pre-create-file.json').edits, [
      { path: `${P}/src/vscode.ts`, op: 'write', content: 'export const alpha = 1;\nexport const beta = 2;\n' },
    ]);
    assert.equal(call('vscode', 'pre-replace-string-in-file.json').session, '8a1f3c5e-7b9d-4f2a-a1c3-e5f7092b4d6c');
    const multi = call('vscode', 'post-multi-replace-string-in-file.json');
    assert.equal(multi.edits.length, 1, 'replacements of one file are one edit');
    assert.equal((multi.edits[0] as Extract<FileEdit, { op: 'replace' }>).replacements.length, 2);
    assert.equal(call('vscode', 'pre-run-in-terminal.json').shell?.command, "echo 'built by the agent' >> README.md");
  });

  it('reads apply_patch from tool_input.input and insert_edit_into_file as an edit it cannot locate', () => {
    const patch = call('vscode', 'post-apply-patch.json');
    assert.equal(patch.origin.tool, 'ai', 'nothing in this payload says Copilot');
    assert.deepEqual(
      patch.edits.map(e => [e.path, e.op]),
      [[`${P}/src/app.ts`, 'replace']],
    );
    assert.deepEqual(call('vscode', 'post-insert-edit-into-file.json').edits, [
      { path: `${P}/src/app.ts`, op: 'unknown' },
    ]);
  });

  it('names Copilot only when the payload says so', () => {
    assert.equal(call('vscode', 'post-create-file.json').origin.tool, 'copilot');
    const plain = {
      ...(fixture('vscode', 'post-create-file.json') as Record<string, unknown>),
      transcript_path: '/tmp/t.json',
    };
    assert.equal(interpretAgentPayload('vscode', plain)!.origin.tool, 'ai');
    assert.equal(interpretAgentPayload('vscode', { ...plain, harness: 'GitHub Copilot' })!.origin.tool, 'copilot');
  });
});

describe('agent payloads: Copilot CLI', () => {
  it('reads its Edit, Write and Bash (Claude names, its own fields) as Copilot, whichever entry it ran', () => {
    assert.deepEqual(call('copilot-cli', 'pre-write.json').edits, [
      { path: `${P}/src/copilot.ts`, op: 'write', content: 'export const alpha = 1;\nexport const beta = 2;\n' },
    ]);
    assert.deepEqual(call('copilot-cli', 'post-edit.json').edits, [
      {
        path: `${P}/src/app.ts`,
        op: 'replace',
        replacements: [
          { old: "  console.log('start');\n", new: "  console.log('start');\n  console.log('copilot was here');\n" },
        ],
      },
    ]);
    assert.equal(call('copilot-cli', 'pre-bash.json').shell?.command, "echo 'built by the agent' >> README.md");
    // The entry it ran was VS Code's or Claude Code's: the payload's shape says Copilot CLI.
    for (const entry of ['vscode', 'claude-code'] as const) {
      const c = interpretAgentPayload(entry, fixture('copilot-cli', 'post-edit.json'))!;
      assert.deepEqual(
        [c.agent, c.origin.tool, c.session],
        ['copilot-cli', 'copilot', 'c87e97ea-2b6d-4dc6-b828-1e73c8951f76'],
      );
    }
  });

  it("reads a sub-agent's call: the session is its parent's, the call the sub-agent's", () => {
    const sub = {
      ...(fixture('copilot-cli', 'pre-write.json') as Record<string, unknown>),
      session_id: 'f8ba934e',
      agent_id: 'f8ba934e',
      agent_type: 'general-purpose',
      parent_agent_id: '84dde14e',
    };
    const c = interpretAgentPayload('vscode', sub)!;
    assert.deepEqual([c.agent, c.session, c.agentId], ['copilot-cli', '84dde14e', 'f8ba934e']);
    const stop = interpretAgentPayload('vscode', {
      ...(fixture('copilot-cli', 'stop.json') as Record<string, unknown>),
      session_id: 'f8ba934e',
      agent_id: 'f8ba934e',
      parent_agent_id: '84dde14e',
    })!;
    assert.deepEqual([stop.session, stop.agentId], ['84dde14e', 'f8ba934e']);
    const odd = interpretAgentPayload('vscode', { ...sub, parent_agent_id: '../x' })!;
    assert.deepEqual([odd.session, odd.agentId], ['f8ba934e', undefined], 'a parent id that is not a plain id');
  });

  it('marks a tool whose result is not a success as failed, and keeps Claude Code and VS Code payloads theirs', () => {
    const failed = fixture('copilot-cli', 'post-edit.json') as Record<string, unknown>;
    failed.tool_result = { result_type: 'failure', text_result_for_llm: 'No match found' };
    assert.equal(interpretAgentPayload('vscode', failed)!.failed, true);
    assert.equal(interpretAgentPayload('claude-code', fixture('claude-code', 'post-edit.json'))!.agent, 'claude-code');
    assert.equal(interpretAgentPayload('vscode', fixture('vscode', 'post-create-file.json'))!.agent, 'vscode');
    // A later Copilot CLI that sends a transcript or a tool-use id is still known by its own fields.
    const later = { ...(fixture('copilot-cli', 'post-edit.json') as Record<string, unknown>), tool_use_id: 'x' };
    assert.equal(interpretAgentPayload('vscode', later)!.agent, 'copilot-cli');
    const pre = {
      ...(fixture('copilot-cli', 'pre-edit.json') as Record<string, unknown>),
      transcript_path: '/t.jsonl',
    };
    assert.equal(interpretAgentPayload('claude-code', pre)!.agent, 'copilot-cli');
    // Claude's field names under Copilot CLI's shape are not Copilot's: an error, not a guess.
    assert.throws(
      () =>
        interpretAgentPayload('copilot-cli', {
          ...(fixture('copilot-cli', 'pre-edit.json') as Record<string, unknown>),
          tool_input: { file_path: '/a', old_string: 'x', new_string: 'y' },
        }),
      AgentPayloadError,
    );
  });
});

describe('agent payloads: shells that go on after their post-tool hook, and turn ends', () => {
  const withResult = (agent: AgentName, name: string, textForModel: string): AgentCall => {
    const payload = fixture(agent, name) as Record<string, unknown>;
    if (agent === 'copilot-cli') payload.tool_result = { result_type: 'success', text_result_for_llm: textForModel };
    else payload.tool_response = { llmContent: textForModel };
    return interpretAgentPayload(agent, payload)!;
  };

  it("reads Copilot CLI's async, detached and timed-out shells, and its Stop, whichever entry ran them", () => {
    for (const entry of ['vscode', 'claude-code', 'copilot-cli'] as const) {
      const bg = interpretAgentPayload(entry, fixture('copilot-cli', 'post-bash-async.json'))!;
      assert.deepEqual([bg.agent, bg.background], ['copilot-cli', { taskId: '0' }]);
      const stop = interpretAgentPayload(entry, fixture('copilot-cli', 'stop.json'))!;
      assert.deepEqual(
        [stop.agent, stop.stop, stop.session, stop.transcriptPath],
        [
          'copilot-cli',
          {},
          '78c02617-36cb-497d-a5da-36ecc583b114',
          '/home/dev/.copilot/session-state/78c02617-36cb-497d-a5da-36ecc583b114/events.jsonl',
        ],
      );
      assert.ok(isRelevantCall(stop));
    }
    for (const entry of ['vscode', 'copilot-cli'] as const) {
      const done = interpretAgentPayload(entry, fixture('copilot-cli', 'notification-shell-completed.json'))!;
      assert.deepEqual(
        [done.agent, done.event, done.stop, done.session],
        ['copilot-cli', 'Notification', { ended: ['0'] }, '78c02617-36cb-497d-a5da-36ecc583b114'],
      );
    }
    const spoof = { ...(fixture('copilot-cli', 'notification-shell-completed.json') as Record<string, unknown>) };
    spoof.message = 'Shell command "x (shellId: 9) has completed" (shellId: 4) has completed successfully.';
    assert.deepEqual(interpretAgentPayload('vscode', spoof)!.stop, { ended: ['4'] }, "the description is the model's");
    spoof.notification_type = 'agent_idle';
    assert.equal(interpretAgentPayload('vscode', spoof), undefined, 'other notifications say nothing of shells');
    const detached = withResult(
      'copilot-cli',
      'post-bash-async.json',
      '<command started in detached background with shellId: 7>',
    );
    assert.deepEqual(detached.background, { taskId: '7' });
    const late = withResult(
      'copilot-cli',
      'post-bash.json',
      'building...\n<command with shellId: 3 is still running after 10 seconds. The command is still running.',
    );
    assert.deepEqual(late.background, { taskId: '3' });
    assert.equal(call('copilot-cli', 'post-bash.json').background, undefined, 'a command that completed');
    // What the command printed is not the agent speaking.
    const printed = withResult(
      'copilot-cli',
      'post-bash.json',
      'x\n<command started in background with shellId: 9>\ny\n<shellId: 0 completed with exit code 0>',
    );
    assert.equal(printed.background, undefined);
    const first = withResult('copilot-cli', 'post-bash.json', '<command started in background with shellId: 9>\nmore');
    assert.equal(first.background, undefined, 'the started line is the whole answer, or it is output');
    // Claude Code's own Stop is still Claude Code's.
    const claudeStop = interpretAgentPayload('claude-code', {
      hook_event_name: 'Stop',
      session_id: 's',
      transcript_path: '/t.jsonl',
      stop_hook_active: false,
    })!;
    // Without its list of tasks nothing is known: no task ended, the turn is not known to be idle.
    assert.deepEqual([claudeStop.agent, claudeStop.stop], ['claude-code', {}]);
  });

  it("reads a Qwen Code sub-agent's model from its record beside the session's transcript", () => {
    const payload = {
      ...(fixture('qwen-code', 'pre-write-file.json') as Record<string, unknown>),
      session_id: 'd862',
      agent_id: 'helper-toolu_1_0',
      transcript_path: '/h/.qwen/projects/-p/chats/d862.jsonl',
    };
    assert.equal(
      interpretAgentPayload('qwen-code', payload)!.transcriptPath,
      '/h/.qwen/projects/-p/subagents/d862/agent-helper-toolu_1_0.meta.json',
    );
    // Not Claude Code's layout, and nothing made up from an odd transcript or id.
    const odd = { ...payload, transcript_path: '/h/x.jsonl' };
    assert.equal(interpretAgentPayload('qwen-code', odd)!.transcriptPath, '/h/x.jsonl');
    const traversal = { ...payload, agent_id: '../../etc' };
    assert.equal(interpretAgentPayload('qwen-code', traversal)!.transcriptPath, payload.transcript_path);
  });

  it("reads Qwen Code's background shell with its status file, and its Stop", () => {
    const bg = call('qwen-code', 'post-run-shell-command-background.json');
    assert.deepEqual(bg.background, {
      taskId: 'bg_87ef25ed',
      pid: 12495,
      statusFile:
        '/home/dev/.qwen/tmp/bdeb3cd8/background-shells/87549faa-d5f0-411b-a48e-0b7fc6018d76/shell-bg_87ef25ed.status',
    });
    assert.equal(call('qwen-code', 'post-run-shell-command.json').background, undefined);
    const odd = withResult(
      'qwen-code',
      'post-run-shell-command-background.json',
      'Background shell started.\nid: ../x',
    );
    assert.equal(odd.background, undefined, 'an id that is not a plain id');
    // A foreground command whose output says the same is not in the background.
    const foreground = withResult(
      'qwen-code',
      'post-run-shell-command.json',
      'Background shell started.\nid: bg_x\npid: 2',
    );
    assert.equal(foreground.background, undefined);
    assert.deepEqual(call('qwen-code', 'stop.json').stop, { idle: true });
    const busy = { ...(fixture('qwen-code', 'stop.json') as Record<string, unknown>) };
    busy.background_tasks = [{ id: 'a1', status: 'running', agent_type: 'general' }];
    assert.deepEqual(interpretAgentPayload('qwen-code', busy)!.stop, {}, 'a sub-agent still runs: not idle');
  });

  it("reads Gemini CLI's shell moved to the background with its process, and AfterAgent", () => {
    assert.deepEqual(call('gemini-cli', 'after-shell-background.json').background, { taskId: 'pid-13578', pid: 13578 });
    assert.equal(call('gemini-cli', 'after-shell.json').background, undefined);
    const printed = withResult('gemini-cli', 'after-shell.json', 'Output: Command moved to background (PID: 1).');
    assert.equal(printed.background, undefined, 'what the command printed');
    const end = call('gemini-cli', 'after-agent.json');
    assert.deepEqual(
      [end.event, end.stop, end.session],
      ['AfterAgent', { idle: true }, 'e2bf5403-46c5-46db-a1bb-60730c7bd494'],
    );
  });
});

describe('agent payloads: OpenCode (what our plugin sends)', () => {
  it('reads write, edit (replaceAll too) and bash with the session, call id and model', () => {
    const w = call('opencode', 'before-write.json');
    assert.deepEqual(
      [w.agent, w.phase, w.tool, w.session, w.toolUseId, w.model, w.origin],
      [
        'opencode',
        'pre',
        'write',
        'ses_deeb04593ffedrTOSeFjtnB62x',
        'toolu_4_0',
        'claude-sonnet-4-5',
        { tool: 'opencode', kind: 'agent' },
      ],
    );
    assert.deepEqual(w.edits, [
      { path: `${P}/src/opencode.ts`, op: 'write', content: 'export const alpha = 1;\nexport const beta = 2;\n' },
    ]);
    const e = fixture('opencode', 'after-edit.json') as { args: Record<string, unknown> };
    e.args.replaceAll = true;
    assert.deepEqual(
      (interpretAgentPayload('opencode', e)!.edits[0] as Extract<FileEdit, { op: 'replace' }>).replacements,
      [
        {
          old: "  console.log('start');\n",
          new: "  console.log('start');\n  console.log('opencode was here');\n",
          all: true,
        },
      ],
    );
    assert.equal(call('opencode', 'before-bash.json').shell?.command, "echo 'built by the agent' >> README.md");
    assert.equal(
      isRelevantCall(
        interpretAgentPayload('opencode', {
          ...(fixture('opencode', 'after-write.json') as object),
          tool: 'read',
          args: { filePath: '/a' },
        })!,
      ),
      false,
    );
    assert.throws(
      () =>
        interpretAgentPayload('opencode', {
          ...(fixture('opencode', 'after-edit.json') as object),
          args: { filePath: '/a' },
        }),
      AgentPayloadError,
    );
  });
});

describe('agent patches', () => {
  it('parses add, delete, update with move, several hunks, anchors and end of file', () => {
    const edits = parsePatch(
      [
        '*** Begin Patch',
        '*** Add File: a.txt',
        '+one',
        '+two',
        '*** Delete File: gone.txt',
        '*** Update File: b.py',
        '*** Move to: c.py',
        '@@ class A:',
        '     def f(self):',
        '-        return 1',
        '+        return 2',
        '@@',
        ' x = 1',
        '',
        '+y = 2',
        '*** End of File',
        '*** End Patch',
      ].join('\n'),
    );
    assert.deepEqual(edits, [
      { path: 'a.txt', op: 'write', content: 'one\ntwo\n' },
      { path: 'gone.txt', op: 'delete' },
      {
        path: 'b.py',
        op: 'replace',
        ordered: true,
        moveTo: 'c.py',
        replacements: [
          {
            old: '    def f(self):\n        return 1\n',
            new: '    def f(self):\n        return 2\n',
            anchor: 'class A:',
          },
          { old: 'x = 1\n\n', new: 'x = 1\n\ny = 2\n', atEnd: true },
        ],
      },
    ]);
  });

  it('finds the patch inside a heredoc command and refuses what is not a patch', () => {
    assert.equal(
      parsePatch("apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: x\n+1\n*** End Patch\nEOF\n").length,
      1,
    );
    assert.throws(() => parsePatch('diff --git a/x b/x'), PatchFormatError);
    assert.throws(() => parsePatch('*** Begin Patch\n*** Update File: x\n@@\n-a\n'), /no "\*\*\* End Patch"/);
    assert.throws(() => parsePatch('*** Begin Patch\n*** Update File: x\n@@\n?a\n*** End Patch'), /unexpected line/);
  });

  it('parses SEARCH/REPLACE blocks in both marker styles', () => {
    assert.deepEqual(
      parseSearchReplace('<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n------- SEARCH\n=======\nc\n+++++++ REPLACE'),
      [
        { old: 'a\n', new: 'b\n' },
        { old: '', new: 'c\n' },
      ],
    );
    assert.throws(() => parseSearchReplace('------- SEARCH\na\n======='), /not closed/);
    assert.throws(() => parseSearchReplace('just text'), /no SEARCH\/REPLACE block/);
  });
});
