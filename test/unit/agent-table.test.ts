import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AGENTS, HOOK_AGENTS, TOOLS, TOOL_TABLE, toolFromExtensions } from '../../src/core/agents/table';
import { formatAssistedBy, formatCoAuthors } from '../../src/core/formats/trailers';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { enum?: string[] }> } };
};

describe('the agent table (src/core/agents/table.ts)', () => {
  it('package.json offers exactly the table tools for aiProvenance.inlineSuggestionTool', () => {
    const setting = manifest.contributes.configuration.properties['aiProvenance.inlineSuggestionTool'];
    assert.deepEqual(setting?.enum, ['auto', ...TOOLS]);
  });

  it('gives every tool a distinct Assisted-by name without spaces or colons', () => {
    const names = TOOLS.map(t => TOOL_TABLE[t].trailerName);
    for (const name of names) assert.match(name, /^[^\s:]+$/);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(formatAssistedBy([{ tool: 'claude-code', model: 'claude-sonnet-4' }, { tool: 'codex' }]), [
      'Claude:claude-sonnet-4',
      'Codex',
    ]);
  });

  it('writes Co-authored-by only for tools with an identity in the table', () => {
    const withIdentity = TOOLS.filter(t => TOOL_TABLE[t].coAuthor !== undefined);
    assert.deepEqual(
      formatCoAuthors(TOOLS.map(tool => ({ tool }))),
      withIdentity.map(t => TOOL_TABLE[t].coAuthor).sort(),
    );
    for (const t of withIdentity) assert.match(TOOL_TABLE[t].coAuthor!, /^[^<>\n]+ <[^<>\s]+@[^<>\s]+>$/);
  });

  it('names a tool from installed extensions only when exactly one AI tool is installed', () => {
    assert.equal(toolFromExtensions(['ms-python.python', 'GitHub.copilot']), 'copilot');
    assert.equal(toolFromExtensions(['github.copilot', 'github.copilot-chat']), 'copilot', 'two ids, one tool');
    assert.equal(toolFromExtensions(['github.copilot', 'continue.continue']), 'ai', 'two tools: cannot tell');
    assert.equal(toolFromExtensions([]), 'ai');
    const ids = TOOLS.flatMap(t => TOOL_TABLE[t].extensionIds);
    assert.equal(new Set(ids).size, ids.length, 'an extension id belongs to one tool');
    for (const id of ids) assert.equal(id, id.toLowerCase());
  });

  it('gives every hook agent a configuration path per scope that no other agent uses, unless they share an entry', () => {
    for (const scope of ['user', 'project'] as const) {
      // Agents that read one file share one entry (entryOf): the same path and hooks as that entry's agent.
      const owners = AGENTS.filter(a => HOOK_AGENTS[a].entryOf === undefined);
      const paths = owners.map(a => HOOK_AGENTS[a].configPath[scope].join('/'));
      assert.equal(new Set(paths).size, paths.length, scope);
      for (const a of AGENTS) {
        const owner = HOOK_AGENTS[a].entryOf;
        if (owner === undefined) continue;
        assert.equal(HOOK_AGENTS[owner].entryOf, undefined, `${a}: its entry's agent owns it`);
        assert.deepEqual(HOOK_AGENTS[a].configPath, HOOK_AGENTS[owner].configPath, a);
        assert.deepEqual(
          HOOK_AGENTS[a].hooks.events.map(e => e.event),
          HOOK_AGENTS[owner].hooks.events.map(e => e.event),
          a,
        );
      }
      for (const a of AGENTS) {
        assert.ok(HOOK_AGENTS[a].installedMarks[scope].length > 0, `${a} ${scope}`);
        assert.ok(
          HOOK_AGENTS[a].configPath[scope].every(s => s !== '' && s !== '..' && !s.includes('/')),
          `${a}: plain segments`,
        );
      }
    }
    for (const a of AGENTS) assert.ok(HOOK_AGENTS[a].hooks.events.length > 0, a);
  });
});
