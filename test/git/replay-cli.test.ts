// `ai-provenance replay` as scripts call it: the built CLI (dist/cli.js; `npm run build` first), real files,
// real exit codes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliPath, repoRoot, runCli } from '../support/git-fixture';

const traces = path.join(repoRoot, 'test', 'fixtures', 'traces');

describe('ai-provenance replay (built CLI)', () => {
  before(() => {
    assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run 'npm run build' first`);
  });

  it('prints the attribution of a trace as 2-space JSON on stdout and exits 0', () => {
    const file = path.join(traces, 'copy-paste-chat-mark.jsonl');
    const r = runCli(['replay', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const expected = JSON.parse(fs.readFileSync(path.join(traces, 'copy-paste-chat-mark.expected.json'), 'utf8'));
    assert.equal(r.stdout, `${JSON.stringify(expected, null, 2)}\n`);
  });

  it('resolves the trace path against -C and reads - from stdin', () => {
    const relative = runCli(['-C', traces, 'replay', 'undo-redo.jsonl']);
    assert.equal(relative.status, 0, relative.stderr);
    const stdin = runCli(['replay', '-'], { input: fs.readFileSync(path.join(traces, 'undo-redo.jsonl'), 'utf8') });
    assert.equal(stdin.status, 0, stdin.stderr);
    assert.equal(stdin.stdout, relative.stdout);
    assert.equal(JSON.parse(stdin.stdout).files['x.js'].lines, 'ha');
  });

  it('exits 2 with TRACE:LINE and what is wrong for a malformed trace, printing nothing on stdout', () => {
    const r = runCli(['replay', 'malformed-offset.jsonl'], { cwd: traces });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /malformed-offset\.jsonl:3: edit on a\.ts, change 1: range 9\.\.9 is outside the text, which has 4 UTF-16 code units/,
    );
  });

  it('exits 2 for a line that is not JSON, naming the line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-replay-'));
    try {
      const file = path.join(dir, 'bad.jsonl');
      fs.writeFileSync(file, '{"t":"open","path":"a","text":""}\n\n{"t":"edit"\n');
      const r = runCli(['replay', file]);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /bad\.jsonl:3: not valid JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with a clear message for a missing trace or missing argument', () => {
    const missing = runCli(['replay', 'no-such-trace.jsonl']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no-such-trace\.jsonl: no such file/);
    const none = runCli(['replay']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /replay takes exactly one TRACE/);
  });

  it('prints its help with --help', () => {
    const r = runCli(['replay', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: ai-provenance replay TRACE\.jsonl/);
  });
});
