// `ai-provenance agent-hook`, `status` and `agents` as agents and people run them: the built CLI (dist/cli.js;
// `npm run build` first), payloads on stdin in the agents' documented shapes, real files, real git.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/core/attribution/engine';
import { AGENTS, type AgentName, type ProvenanceEvent } from '../../src/core/attribution/events';
import { TraceRecorder } from '../../src/extension/tracking/recorder';
import { nullLogger } from '../../src/core/log';
import { HUMAN } from '../../src/core/attribution/origin';
import { encodeRuns } from '../../src/core/formats/stored-runs';
import { ingestAgentSpool } from '../../src/io/agents/ingest';
import { openRunsStore } from '../../src/io/attribution/runs-store';
import { locateRepository } from '../../src/io/git/repository';
import { Spool } from '../../src/io/store/spool';
import { writeLauncher } from '../../src/io/git/hooks';
import { cliPath, repoRoot, runCli, TempRepo, type CliResult } from '../support/git-fixture';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'agents');
const traces = path.join(repoRoot, 'test', 'fixtures', 'traces');

interface Step {
  hook?: string;
  write?: string;
  transcript?: string;
  content?: string;
}
interface ExpectedFile {
  added: number;
  ai: number;
  unknown: number;
  segments: { start: number; end: number; class: string; tool: string; kind: string; model?: string }[];
}
interface Session {
  steps: Step[];
  expect: { files: Record<string, ExpectedFile>; attribution: string; assistedBy: string[] };
}
interface StatusFile extends ExpectedFile {
  path: string;
  mixed: number;
  human: number;
}
interface StatusSide {
  added: number;
  ai: number;
  unknown: number;
  files: StatusFile[];
}
interface FileSummaryLike {
  lines: string;
  segments: { start: number; end: number }[];
}
interface Status {
  ingested: { records: number; files: string[]; problems: string[] };
  index: StatusSide;
  worktree: StatusSide;
}

/** A repository, a home folder of its own, and the agent's view of both. */
class AgentRepo extends TempRepo {
  readonly home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-home-')));
  readonly env = {
    HOME: this.home,
    XDG_CONFIG_HOME: path.join(this.home, '.config'),
    AI_PROVENANCE_HOME: path.join(this.home, '.local', 'share', 'ai-provenance'),
    AI_PROVENANCE_LOG: undefined,
  };

  constructor() {
    super('ai-provenance-agent-');
    this.write('src/app.ts', "export function main(): void {\n  console.log('start');\n}\n");
    this.write('README.md', '# demo\n');
    this.commitAll('initial');
  }

  /** A fixture's text with the documented example folders replaced by ours. */
  payload(agent: AgentName, name: string): string {
    return this.place(fs.readFileSync(path.join(fixtures, agent, name), 'utf8'));
  }

  place(text: string): string {
    // JSON-escape the folders (a path with a backslash or a quote would otherwise break the JSON).
    const q = (p: string): string => JSON.stringify(p).slice(1, -1);
    return text.split('/home/dev/project').join(q(this.dir)).split('/home/dev').join(q(this.home));
  }

  /** Claude Code's PreToolUse of a Write of src/new.ts: the payload the launcher and loader tests send. */
  writePayload(id: string): string {
    return JSON.stringify({
      session_id: 's',
      cwd: this.dir,
      hook_event_name: 'PreToolUse',
      tool_name: 'Write',
      tool_input: { file_path: `${this.dir}/src/new.ts`, content: 'x\n' },
      tool_use_id: id,
    });
  }

  /** Runs the hook as the agent would: payload on stdin, from the agent's folder. Checks the hook's contract. */
  hook(agent: string, input: string, cwd = this.dir): CliResult {
    const r = runCli(['agent-hook', agent], { cwd, input, env: this.env });
    assert.equal(r.status, 0, `agent-hook exited ${r.status}: ${r.stderr}`);
    assert.equal(r.stdout, '', 'the hook printed on stdout, where the agent reads JSON');
    return r;
  }

  cli(args: string[], cwd = this.dir): CliResult {
    return runCli(args, { cwd, env: this.env });
  }

  status(): Status {
    const r = this.cli(['status', '--json']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Status;
  }

  spooled(): string[] {
    const dir = path.join(this.dir, '.git', 'ai-provenance', 'spool');
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter(n => n.endsWith('.json')) : [];
  }

  hooksLog(): string {
    const file = path.join(this.dir, '.git', 'ai-provenance', 'hooks.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }

  override dispose(): void {
    super.dispose();
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

function pick(file: StatusFile): ExpectedFile {
  return { added: file.added, ai: file.ai, unknown: file.unknown, segments: file.segments };
}

function oneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `expected one log line, got: ${stderr}`);
  assert.match(lines[0]!, /^ai-provenance: agent-hook /);
  assert.match(lines[0]!, pattern);
}

describe('agent hooks with the built CLI and real git', function () {
  this.timeout(120000);
  before(() => assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run 'npm run build' first`));

  describe('a session of each agent attributes exactly the lines the agent wrote', () => {
    for (const agent of AGENTS) {
      it(`${agent}: status --json and a real commit with our git hooks`, () => {
        const repo = new AgentRepo();
        try {
          const session = JSON.parse(fs.readFileSync(path.join(fixtures, agent, 'session.json'), 'utf8')) as Session;
          for (const step of session.steps) {
            if (step.transcript !== undefined) {
              const file = repo.place(step.transcript);
              fs.mkdirSync(path.dirname(file), { recursive: true });
              fs.writeFileSync(file, step.content!);
            } else if (step.write !== undefined) {
              repo.write(step.write, step.content!);
            } else {
              // Cursor runs user hooks from ~/.cursor: the repository must come from the payload.
              const r = repo.hook(agent, repo.payload(agent, step.hook!), agent === 'cursor' ? repo.home : repo.dir);
              assert.equal(r.stderr, '', `${step.hook}: ${r.stderr}`);
            }
          }
          const status = repo.status();
          assert.deepEqual(status.ingested.problems, []);
          assert.equal(status.ingested.records, session.steps.filter(s => s.hook).length);
          const worktree = Object.fromEntries(status.worktree.files.map(f => [f.path, pick(f)]));
          assert.deepEqual(worktree, session.expect.files);
          assert.equal(repo.spooled().length, 0, 'status ingests the spool');

          repo.git('add', '-A');
          const staged = Object.fromEntries(repo.status().index.files.map(f => [f.path, pick(f)]));
          assert.deepEqual(staged, session.expect.files);

          const install = repo.cli(['hooks', 'install']);
          assert.equal(install.status, 0, install.stderr);
          execFileSync('git', ['commit', '-q', '-m', `work of ${agent}`], {
            cwd: repo.dir,
            env: { ...process.env, ...repo.env },
            stdio: 'pipe',
          });
          assert.deepEqual(repo.trailers('AI-Attribution'), [session.expect.attribution]);
          assert.deepEqual(repo.trailers('Assisted-by'), session.expect.assistedBy);
        } finally {
          repo.dispose();
        }
      });
    }
  });

  describe('the launcher runs the agent hook from its own small bundle', () => {
    it('routes agent-hook to agent-hook.js beside the CLI, and to the CLI when that file is not there', () => {
      const repo = new AgentRepo();
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bin-'));
      try {
        fs.copyFileSync(cliPath, path.join(bin, 'cli.js'));
        for (const f of ['agent-hook.js', 'agent-hook-bundle.js'])
          fs.copyFileSync(path.join(path.dirname(cliPath), f), path.join(bin, f));
        const launcher = writeLauncher(
          { node: process.execPath, cli: path.join(bin, 'cli.js') },
          { ...process.env, ...repo.env },
        );
        const run = (id: string): void => {
          const r = spawnSync(launcher, ['agent-hook', 'claude-code'], {
            cwd: repo.dir,
            input: repo.writePayload(id),
            env: { ...process.env, ...repo.env },
          });
          assert.equal(r.status, 0, r.stderr.toString());
          assert.equal(r.stdout.toString(), '');
        };
        run('a');
        assert.equal(repo.spooled().length, 1, 'the small bundle recorded the call');
        // A bundle that is not ours answers instead: proof the launcher took it.
        fs.writeFileSync(
          path.join(bin, 'agent-hook.js'),
          `require('fs').writeFileSync(${JSON.stringify(path.join(bin, 'ran'))}, 'yes');\n`,
        );
        run('b');
        assert.equal(fs.readFileSync(path.join(bin, 'ran'), 'utf8'), 'yes');
        assert.equal(repo.spooled().length, 1);
        // Without it (a CLI from before 0.2), the CLI runs the hook as it always did.
        fs.rmSync(path.join(bin, 'agent-hook.js'));
        run('c');
        assert.equal(repo.spooled().length, 2);
      } finally {
        fs.rmSync(bin, { recursive: true, force: true });
        repo.dispose();
      }
    });

    it("loads the bundle with V8's code cache from the person's cache folder, and runs it once whatever the cache holds", () => {
      const repo = new AgentRepo();
      const cache = path.join(repo.home, '.cache', 'ai-provenance', 'code-cache');
      const hook = path.join(path.dirname(cliPath), 'agent-hook.js');
      const run = (id: string, env: Record<string, string> = {}): void => {
        const r = spawnSync(process.execPath, [hook, 'agent-hook', 'claude-code'], {
          cwd: repo.dir,
          input: repo.writePayload(id),
          env: Object.fromEntries(
            Object.entries({ ...process.env, ...repo.env, XDG_CACHE_HOME: undefined, ...env }).filter(
              ([, v]) => v !== undefined,
            ),
          ),
        });
        assert.equal(r.status, 0, r.stderr.toString());
        assert.equal(r.stdout.toString() + r.stderr.toString(), '');
      };
      try {
        run('a');
        const [name, ...more] = fs.readdirSync(cache);
        assert.match(name ?? '', /^agent-hook-[0-9a-f]{32}-v\d+\.\d+\.\d+-v8-[\w.-]+-\w+\.cache$/);
        assert.deepEqual(more, []);
        assert.equal(fs.statSync(cache).mode & 0o777, 0o700);
        const file = path.join(cache, name!);
        const written = fs.statSync(file).mtimeMs;
        run('b');
        assert.equal(fs.statSync(file).mtimeMs, written, 'a cache V8 took is not written again');
        // A cache that is not V8's (damaged, or someone else's bytes): rejected, compiled as usual, written anew.
        fs.writeFileSync(file, Buffer.alloc(4096, 7));
        run('c');
        assert.notDeepEqual(fs.readFileSync(file), Buffer.alloc(4096, 7));
        assert.equal(repo.spooled().length, 3, 'each call recorded once');
        // A cache another user could have written is not loaded (it would be code): one in a folder others can
        // write to is compiled over and not read.
        fs.chmodSync(cache, 0o777);
        fs.writeFileSync(file, Buffer.alloc(4096, 9));
        run('e');
        assert.deepEqual(fs.readFileSync(file), Buffer.alloc(4096, 9), 'neither read nor written over');
        fs.chmodSync(cache, 0o700);
        // XDG_CACHE_HOME moves it.
        run('d', { XDG_CACHE_HOME: path.join(repo.home, 'xdg') });
        assert.equal(fs.readdirSync(path.join(repo.home, 'xdg', 'ai-provenance', 'code-cache')).length, 1);
        assert.equal(repo.spooled().length, 5);
      } finally {
        repo.dispose();
      }
    });

    it("runs the git hooks through the CLI's cached loader, which keeps the CLI compiled", () => {
      const repo = new AgentRepo();
      try {
        const env: NodeJS.ProcessEnv = { ...process.env, ...repo.env, XDG_CACHE_HOME: path.join(repo.home, 'cache') };
        const launcher = writeLauncher({ node: process.execPath, cli: cliPath }, env);
        const message = path.join(repo.home, 'message');
        fs.writeFileSync(message, 'a message\n');
        for (let i = 0; i < 2; i++) {
          const r = spawnSync(launcher, ['hook', 'commit-msg', message], { cwd: repo.dir, env });
          assert.equal(r.status, 0, r.stderr.toString());
        }
        const caches = fs.readdirSync(path.join(repo.home, 'cache', 'ai-provenance', 'code-cache'));
        assert.deepEqual(
          caches.map(n => n.replace(/-[0-9a-f]{32}-.*$/, '')),
          ['cli'],
        );
        assert.equal(fs.readFileSync(message, 'utf8'), 'a message\n', 'the hook ran and left the message alone');
        // Through the loader the CLI runs as the program: it answers a wrong hook name as ever.
        const wrong = spawnSync(launcher, ['hook', 'nope'], { cwd: repo.dir, env, encoding: 'utf8' });
        assert.equal(wrong.status, 2);
        assert.match(wrong.stderr, /hook takes prepare-commit-msg, commit-msg, post-commit or post-rewrite, not nope/);
        // A loader whose CLI is gone fails loudly (so prepare-commit-msg's launcher marks the commit), not silently.
        const lone = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-loader-'));
        try {
          fs.copyFileSync(path.join(path.dirname(cliPath), 'cli-cached.js'), path.join(lone, 'cli-cached.js'));
          const r = spawnSync(process.execPath, [path.join(lone, 'cli-cached.js'), 'hook', 'commit-msg', message], {
            cwd: repo.dir,
            env,
            encoding: 'utf8',
          });
          assert.equal(r.status, 70);
          assert.match(r.stderr, /cli\.js is missing or not this version's CLI; reinstall AI Provenance/);
        } finally {
          fs.rmSync(lone, { recursive: true, force: true });
        }
        // And a command the person types runs the CLI itself, as ever.
        const version = spawnSync(launcher, ['--version'], { cwd: repo.dir, env, encoding: 'utf8' });
        assert.match(version.stdout, /^\d+\.\d+\.\d+/);
      } finally {
        repo.dispose();
      }
    });

    it('reads a payload that arrives in pieces on a pipe, and gives up with exit 0 on one never closed', async () => {
      const repo = new AgentRepo();
      const hook = path.join(path.dirname(cliPath), 'agent-hook.js');
      const start = (): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; err: string }> } => {
        const child = spawn(process.execPath, [hook, 'agent-hook', 'claude-code'], {
          cwd: repo.dir,
          env: { ...process.env, ...repo.env },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let err = '';
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        return { child, done: new Promise(resolve => child.on('close', code => resolve({ code, err }))) };
      };
      try {
        const payload = repo.writePayload('p1');
        const slow = start();
        slow.child.stdin!.write(payload.slice(0, 40));
        await new Promise(resolve => setTimeout(resolve, 300));
        slow.child.stdin!.end(payload.slice(40));
        assert.deepEqual(await slow.done, { code: 0, err: '' });
        assert.equal(repo.spooled().length, 1);
        // A writer that never closes its end: the watchdog ends the hook, which says why.
        const stuck = start();
        stuck.child.stdin!.write(payload.slice(0, 40));
        const { code, err } = await stuck.done;
        assert.equal(code, 0);
        assert.match(err, /gave up after 20 s \(standard input not closed\?\)/);
        stuck.child.stdin!.destroy();
      } finally {
        repo.dispose();
      }
    }).timeout(60_000);
  });

  describe('a hook never hurts the agent: exit 0, nothing on stdout, one log line', () => {
    let repo: AgentRepo;
    beforeEach(() => {
      repo = new AgentRepo();
    });
    afterEach(() => repo.dispose());

    const write = (file: string, cwd: string): string =>
      JSON.stringify({
        session_id: 's',
        cwd,
        hook_event_name: 'PreToolUse',
        tool_name: 'Write',
        tool_input: { file_path: file, content: 'x\n' },
        tool_use_id: 't',
      });

    it("malformed input: not JSON, not an object, not the agent's shape, no payload, an unknown agent", () => {
      oneLine(repo.hook('claude-code', '{"hook_event_name": "PreToolUse", ').stderr, /the payload is not JSON/);
      oneLine(
        repo.hook('claude-code', '[1, 2, 3]').stderr,
        /malformed claude-code payload: the payload must be a JSON object/,
      );
      oneLine(
        repo.hook(
          'codex',
          JSON.stringify({
            hook_event_name: 'PreToolUse',
            tool_name: 'apply_patch',
            tool_input: { command: 'rm -rf /' },
          }),
        ).stderr,
        /the patch does not parse/,
      );
      oneLine(repo.hook('gemini-cli', JSON.stringify({ tool_name: 'write_file' })).stderr, /no "hook_event_name"/);
      oneLine(repo.hook('cline', '').stderr, /no payload on standard input/);
      oneLine(
        repo.hook('hal-9000', write('a.ts', repo.dir)).stderr,
        new RegExp(`agent-hook takes one AGENT \\(${AGENTS.join(', ')}\\), got "hal-9000"`),
      );
      assert.deepEqual(repo.spooled(), []);
    });

    it('is silent for tools that write no files', () => {
      const r = repo.hook(
        'claude-code',
        JSON.stringify({
          session_id: 's',
          cwd: repo.dir,
          hook_event_name: 'PostToolUse',
          tool_name: 'Read',
          tool_input: { file_path: `${repo.dir}/README.md` },
          tool_response: {},
        }),
      );
      assert.equal(r.stderr, '');
      assert.deepEqual(repo.spooled(), []);
    });

    it('refuses paths outside the work tree (../../etc/passwd, /etc/hosts, a symlink pointing out, .git) and logs them', () => {
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-outside-'));
      try {
        fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
        fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(repo.dir, 'link.txt'));
        fs.symlinkSync(outside, path.join(repo.dir, 'linkdir'));
        const cases: [string, RegExp][] = [
          ['../../etc/passwd', /outside the repository/],
          ['/etc/hosts', /outside the repository/],
          [`${repo.dir}/link.txt`, /a symbolic link/],
          [`${repo.dir}/linkdir/secret.txt`, /outside the repository/],
          [`${repo.dir}/.git/hooks/pre-commit`, /inside a \.git folder/],
          [`${repo.dir}/src/../../escape.txt`, /outside the repository/],
        ];
        for (const [file, pattern] of cases) {
          const r = repo.hook('claude-code', write(file, path.join(repo.dir, 'src')));
          oneLine(r.stderr, pattern);
        }
        assert.deepEqual(repo.spooled(), [], 'nothing recorded for refused paths');
        const log = repo.hooksLog().split('\n').filter(Boolean);
        assert.equal(log.length, cases.length, 'one hooks.log line per refusal');
        assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'secret\n');
        // A call with one good and one bad path records the good one and logs the bad one.
        const patch = `*** Begin Patch\n*** Add File: ok.txt\n+fine\n*** Add File: ../outside.txt\n+no\n*** End Patch\n`;
        const r = repo.hook(
          'codex',
          JSON.stringify({
            session_id: 's',
            cwd: repo.dir,
            hook_event_name: 'PreToolUse',
            model: 'm',
            permission_mode: 'default',
            tool_name: 'apply_patch',
            tool_input: { command: patch },
            tool_use_id: 'c',
            transcript_path: null,
          }),
        );
        oneLine(r.stderr, /refused path "\.\.\/outside\.txt": outside the repository/);
        assert.equal(repo.spooled().length, 1);
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    it('skips a payload of many megabytes', () => {
      const big = JSON.stringify({
        session_id: 's',
        cwd: repo.dir,
        hook_event_name: 'PostToolUse',
        tool_name: 'Write',
        tool_input: { file_path: `${repo.dir}/big.txt`, content: 'x'.repeat(40 * 1024 * 1024) },
      });
      const r = repo.hook('claude-code', big);
      oneLine(r.stderr, /payload of \d+ bytes is over the 32 MB limit; skipped/);
      assert.deepEqual(repo.spooled(), []);
      assert.match(repo.hooksLog(), /over the 32 MB limit/);
    });

    it('logs a missing repository', () => {
      const elsewhere = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-norepo-')));
      try {
        const r = repo.hook(
          'gemini-cli',
          JSON.stringify({
            session_id: 's',
            cwd: elsewhere,
            hook_event_name: 'BeforeTool',
            timestamp: 'now',
            tool_name: 'write_file',
            tool_input: { file_path: `${elsewhere}/a.txt`, content: 'x' },
          }),
          elsewhere,
        );
        oneLine(r.stderr, /no git repository at/);
      } finally {
        fs.rmSync(elsewhere, { recursive: true, force: true });
      }
    });

    it('loses nothing when 20 hooks run at once', async () => {
      const n = 20;
      for (let i = 0; i < n; i++) repo.write(`gen/f${i}.ts`, `export const v${i} = ${i};\n`);
      const runs = Array.from(
        { length: n },
        (_, i) =>
          new Promise<{ code: number | null; out: string }>((resolve, reject) => {
            const payload = JSON.stringify({
              session_id: 's',
              cwd: repo.dir,
              hook_event_name: 'PostToolUse',
              tool_name: 'Write',
              tool_input: { file_path: `${repo.dir}/gen/f${i}.ts`, content: `export const v${i} = ${i};\n` },
              tool_response: { success: true },
              tool_use_id: `t${i}`,
            });
            const child = spawn(process.execPath, [cliPath, 'agent-hook', 'claude-code'], {
              cwd: repo.dir,
              env: { ...process.env, ...repo.env },
              stdio: ['pipe', 'pipe', 'pipe'],
            });
            let out = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.on('error', reject);
            child.on('close', code => resolve({ code, out }));
            child.stdin.end(payload);
          }),
      );
      const results = await Promise.all(runs);
      assert.ok(
        results.every(r => r.code === 0 && r.out === ''),
        JSON.stringify(results),
      );
      assert.equal(repo.spooled().length, n);
      const status = repo.status();
      assert.equal(status.ingested.records, n);
      assert.deepEqual(
        status.worktree.files
          .filter(f => f.path.startsWith('gen/'))
          .map(f => [f.path, f.ai])
          .sort(),
        Array.from({ length: n }, (_, i) => [`gen/f${i}.ts`, 1]).sort(),
      );
    });
  });

  describe('agents install codex asks Codex to trust our hooks, and never hangs on it', () => {
    it('a codex that never answers: install says what to do, ends, and leaves none of its processes behind', () => {
      const repo = new AgentRepo();
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-fake-codex-'));
      try {
        // A wrapper that starts a child which keeps our pipes open, as npm's codex wrapper starts the real binary.
        const pidFile = path.join(bin, 'child.pid');
        fs.writeFileSync(
          path.join(bin, 'codex'),
          `#!/bin/sh\nsleep 300 &\necho $! > ${JSON.stringify(pidFile)}\nwait\n`,
          { mode: 0o755 },
        );
        const withCodex = runCli(['agents', 'install', 'codex'], {
          cwd: repo.dir,
          env: { ...repo.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
        });
        assert.equal(withCodex.status, 0, withCodex.stderr);
        assert.match(
          withCodex.stdout,
          /not running yet: could not ask Codex about its hooks .*did not answer initialize/,
        );
        const pid = Number(fs.readFileSync(pidFile, 'utf8'));
        // Gone, or a zombie nobody has reaped yet (a container's first process may never reap): not running.
        let state = 'gone';
        try {
          state = /^State:\s+(\S)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 'gone';
        } catch {
          // no such process
        }
        assert.ok(state === 'gone' || state === 'Z', `codex's child was left running (state ${state})`);
      } finally {
        fs.rmSync(bin, { recursive: true, force: true });
        repo.dispose();
      }
    });
  });

  describe('agents install and uninstall', () => {
    let repo: AgentRepo;
    beforeEach(() => {
      repo = new AgentRepo();
    });
    afterEach(() => repo.dispose());

    const settings = path.join('.claude', 'settings.json');
    const original = {
      model: 'opus',
      env: { FOO: 'bar' },
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '~/bin/guard.sh', timeout: 5 }] }],
        Notification: [{ hooks: [{ type: 'command', command: 'notify-send claude' }] }],
      },
    };

    it('merges into an existing config with other hooks, is idempotent, keeps a backup, and uninstall restores it', () => {
      const file = path.join(repo.home, settings);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const text = JSON.stringify(original, null, 4) + '\n';
      fs.writeFileSync(file, text);
      const first = repo.cli(['agents', 'install', 'claude-code', '--user']);
      assert.equal(first.status, 0, first.stderr);
      assert.match(
        first.stdout,
        /claude-code: updated ~\/\.claude\/settings\.json \(original kept as ~\/\.claude\/settings\.json\.ai-provenance\.bak\)/,
      );
      assert.equal(fs.readFileSync(file + '.ai-provenance.bak', 'utf8'), text);
      const installed = fs.readFileSync(file, 'utf8');
      assert.match(installed, /^{\n {4}"model"/, 'the file keeps its indentation');
      const config = JSON.parse(installed);
      assert.equal(config.model, 'opus');
      assert.deepEqual(config.env, original.env);
      assert.deepEqual(config.hooks.Notification, original.hooks.Notification);
      assert.deepEqual(config.hooks.PreToolUse[0], original.hooks.PreToolUse[0]);
      const ours = config.hooks.PreToolUse[1];
      assert.equal(ours.matcher, 'Write|Edit|MultiEdit|NotebookEdit|Bash');
      assert.equal(
        ours.hooks[0].command,
        `'${path.join(repo.env.AI_PROVENANCE_HOME, 'bin', 'ai-provenance')}' agent-hook claude-code`,
      );

      const second = repo.cli(['agents', 'install', 'claude-code']);
      assert.equal(second.status, 0, second.stderr);
      assert.match(second.stdout, /claude-code: unchanged/);
      assert.equal(fs.readFileSync(file, 'utf8'), installed, 'installing twice is installing once');
      const status = JSON.parse(repo.cli(['agents', 'status', 'claude-code', '--json']).stdout);
      assert.equal(status[0].state, 'installed');

      // The entry works: run its command the way Claude Code does, through a shell, with a payload on stdin.
      const payload = JSON.stringify({
        session_id: 's',
        cwd: repo.dir,
        hook_event_name: 'PreToolUse',
        tool_name: 'Write',
        tool_input: { file_path: `${repo.dir}/x.ts`, content: 'x' },
        tool_use_id: 't',
      });
      const out = execFileSync('sh', ['-c', ours.hooks[0].command], {
        cwd: repo.dir,
        input: payload,
        env: { ...process.env, ...repo.env, AI_PROVENANCE_LOG: '' },
        encoding: 'utf8',
      });
      assert.equal(out, '');
      assert.equal(repo.spooled().length, 1);

      const removed = repo.cli(['agents', 'uninstall', 'claude-code']);
      assert.equal(removed.status, 0, removed.stderr);
      assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), original);
    });

    it('refuses a config that does not parse and leaves it untouched', () => {
      const file = path.join(repo.home, settings);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const broken = '{ "hooks": { // a comment\n  } }\n';
      fs.writeFileSync(file, broken);
      const r = repo.cli(['agents', 'install', 'claude-code']);
      assert.equal(r.status, 3);
      assert.match(r.stderr, /settings\.json is not valid JSON .*; it was left as it is/);
      assert.equal(fs.readFileSync(file, 'utf8'), broken);
      assert.equal(fs.existsSync(file + '.ai-provenance.bak'), false);
      const shape = path.join(repo.home, '.cursor', 'hooks.json');
      fs.mkdirSync(path.dirname(shape), { recursive: true });
      fs.writeFileSync(shape, '{"version": 1, "hooks": []}');
      const r2 = repo.cli(['agents', 'install', 'cursor']);
      assert.equal(r2.status, 3);
      assert.match(r2.stderr, /hooks\.json: its "hooks" is not an object; it was left as it is/);
    });

    it('installs every agent into an empty home and uninstall removes exactly what it created', () => {
      const r = repo.cli(['agents', 'install', ...AGENTS]);
      assert.equal(r.status, 0, r.stderr);
      const files = [
        '.claude/settings.json',
        '.codex/hooks.json',
        '.gemini/settings.json',
        '.cursor/hooks.json',
        '.copilot/hooks/ai-provenance.json',
        '.config/opencode/plugins/ai-provenance.js',
      ];
      for (const f of files) assert.ok(fs.existsSync(path.join(repo.home, f)), f);
      const clineHook = path.join(repo.home, 'Documents', 'Cline', 'Rules', 'Hooks', 'PreToolUse');
      assert.equal(fs.statSync(clineHook).mode & 0o111, 0o111, 'Cline hooks are executables');
      assert.deepEqual(
        Object.keys(JSON.parse(fs.readFileSync(path.join(repo.home, '.gemini/settings.json'), 'utf8')).hooks),
        ['BeforeTool', 'AfterTool', 'AfterAgent'],
      );
      assert.equal(JSON.parse(fs.readFileSync(path.join(repo.home, '.cursor/hooks.json'), 'utf8')).version, 1);
      // The Cline script passes its payload to us and never blocks Cline.
      const payload = JSON.stringify({
        clineVersion: '3',
        hookName: 'PreToolUse',
        timestamp: '1',
        taskId: 'k',
        workspaceRoots: [repo.dir],
        userId: 'u',
        preToolUse: { toolName: 'write_to_file', parameters: { path: 'c.ts', content: 'c' } },
      });
      assert.equal(
        execFileSync(clineHook, [], {
          cwd: repo.dir,
          input: payload,
          env: { ...process.env, ...repo.env },
          encoding: 'utf8',
        }),
        '',
      );
      assert.equal(repo.spooled().length, 1);

      const u = repo.cli(['agents', 'uninstall']);
      assert.equal(u.status, 0, u.stderr);
      for (const f of files)
        assert.equal(fs.existsSync(path.join(repo.home, f)), false, `${f} was ours alone and should be gone`);
      assert.equal(fs.existsSync(clineHook), false);
    });

    it("writes project configurations in the repository, and never replaces someone else's Cline hook", () => {
      const r = repo.cli(['agents', 'install', 'codex', 'vscode', '--project'], path.join(repo.dir, 'src'));
      assert.equal(r.status, 0, r.stderr);
      assert.ok(fs.existsSync(path.join(repo.dir, '.codex', 'hooks.json')));
      assert.ok(fs.existsSync(path.join(repo.dir, '.github', 'hooks', 'ai-provenance.json')));
      const theirs = path.join(repo.dir, '.clinerules', 'hooks', 'PostToolUse');
      fs.mkdirSync(path.dirname(theirs), { recursive: true });
      fs.writeFileSync(theirs, '#!/bin/sh\necho \'{"cancel": false}\'\n', { mode: 0o755 });
      const c = repo.cli(['agents', 'install', 'cline', '--project']);
      assert.equal(c.status, 3);
      assert.match(c.stderr, /PostToolUse is someone else's hook; it was left as it is/);
      assert.equal(fs.readFileSync(theirs, 'utf8'), '#!/bin/sh\necho \'{"cancel": false}\'\n');
      // OpenCode's plugin is a file of ours: someone else's file of that name is never replaced.
      const plugin = path.join(repo.dir, '.opencode', 'plugins', 'ai-provenance.js');
      fs.mkdirSync(path.dirname(plugin), { recursive: true });
      fs.writeFileSync(plugin, 'export const Mine = async () => ({});\n');
      const o = repo.cli(['agents', 'install', 'opencode', '--project']);
      assert.equal(o.status, 3);
      assert.match(o.stderr, /ai-provenance\.js is someone else's plugin; it was left as it is/);
      assert.equal(fs.readFileSync(plugin, 'utf8'), 'export const Mine = async () => ({});\n');
      fs.rmSync(plugin);
      const o2 = repo.cli(['agents', 'install', 'opencode', '--project']);
      assert.equal(o2.status, 0, o2.stderr);
      assert.match(repo.cli(['agents', 'status', 'opencode', '--project']).stdout, /^opencode: installed /m);
      fs.appendFileSync(plugin, '// changed\n');
      assert.match(repo.cli(['agents', 'status', 'opencode', '--project']).stdout, /^opencode: outdated /m);
      assert.equal(repo.cli(['agents', 'uninstall', 'opencode', '--project']).status, 0);
      assert.equal(fs.existsSync(plugin), false);
      // VS Code's agent and Copilot CLI read one file: one entry serves both, whichever is installed first.
      const shared = path.join(repo.dir, '.github', 'hooks', 'ai-provenance.json');
      const before = fs.readFileSync(shared, 'utf8');
      const cp = repo.cli(['agents', 'install', 'copilot-cli', '--project']);
      assert.equal(cp.status, 0, cp.stderr);
      assert.match(cp.stdout, /^copilot-cli: unchanged /m);
      assert.match(cp.stdout, /not running yet: Copilot CLI runs this repository's hooks only in a folder you trusted/);
      assert.equal(fs.readFileSync(shared, 'utf8'), before);
      assert.equal(
        (before.match(/agent-hook vscode/g) ?? []).length,
        4,
        'PreToolUse, PostToolUse, Notification and Stop, once each',
      );
      // Removing the shared entry for one of them says the other loses it too.
      const un = repo.cli(['agents', 'uninstall', 'copilot-cli', '--project']);
      assert.equal(un.status, 0, un.stderr);
      assert.match(
        un.stdout,
        /copilot-cli: removed .*\n {2}note: VS Code agent ran the same entry and no longer records either/,
      );
      // An agent's folder moved by its environment variable (COPILOT_HOME, CODEX_HOME) is where install writes.
      const moved = path.join(repo.home, 'elsewhere');
      const m = runCli(['agents', 'install', 'copilot-cli', 'codex', '--user'], {
        cwd: repo.dir,
        env: { ...repo.env, COPILOT_HOME: path.join(moved, 'copilot'), CODEX_HOME: path.join(moved, 'codex') },
      });
      assert.equal(m.status, 0, m.stderr);
      assert.ok(fs.existsSync(path.join(moved, 'copilot', 'hooks', 'ai-provenance.json')));
      assert.ok(fs.existsSync(path.join(moved, 'codex', 'hooks.json')));
      assert.equal(fs.existsSync(path.join(repo.home, '.copilot')), false);
      const usage = repo.cli(['agents', 'install', 'claude', '--project']);
      assert.equal(usage.status, 2);
      assert.match(usage.stderr, /unknown agent "claude"/);
    });
  });

  describe("VS Code saves its agent's edit after the post-tool hook ran: the call's own description names what it writes", () => {
    const session = '3931e9a8-9267-401d-bc77-6e9c37901cae';
    /** A payload as VS Code 1.139 sends it (snake_case, its tool-use ids, Copilot Chat's transcript). */
    const vscodePayload = (repo: AgentRepo, event: string, tool: string, input: object, n: number): string =>
      JSON.stringify({
        timestamp: '2026-12-07T12:34:43.698Z',
        hook_event_name: event,
        session_id: session,
        transcript_path: `${repo.home}/.config/Code/User/workspaceStorage/31db1ee2/GitHub.copilot-chat/transcripts/${session}.jsonl`,
        tool_name: tool,
        tool_input: input,
        ...(event === 'PostToolUse' ? { tool_response: '' } : {}),
        tool_use_id: `call_${n}__vscode-179664688${n}`,
        cwd: repo.dir,
      });
    /** replace_string_in_file: a log line added to src/app.ts. */
    const logInApp = (repo: AgentRepo): object => ({
      filePath: `${repo.dir}/src/app.ts`,
      oldString: "  console.log('start');\n",
      newString: "  console.log('start');\n  console.log('vscode');\n",
      explanation: 'log',
    });
    const agentLines = (repo: AgentRepo, file: string): unknown =>
      repo
        .status()
        .worktree.files.find(f => f.path === file)
        ?.segments.map(s => [s.start, s.end, s.class, s.tool, s.kind]);

    it('a file it creates that is not on disk yet when the post-tool hook runs', () => {
      const repo = new AgentRepo();
      try {
        const content = 'export function stop() {\n  return 0;\n}\n';
        const input = { filePath: `${repo.dir}/src/stop.ts`, content };
        repo.hook('vscode', vscodePayload(repo, 'PreToolUse', 'create_file', input, 1));
        repo.hook('vscode', vscodePayload(repo, 'PostToolUse', 'create_file', input, 1));
        repo.write('src/stop.ts', content); // VS Code saves it now
        assert.deepEqual(agentLines(repo, 'src/stop.ts'), [[1, 3, 'a', 'copilot', 'agent']]);
        assert.equal(repo.cli(['hooks', 'install']).status, 0);
        repo.git('add', 'src/stop.ts');
        execFileSync('git', ['commit', '-q', '-m', 'stop'], {
          cwd: repo.dir,
          env: { ...process.env, ...repo.env },
          stdio: 'pipe',
        });
        assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=3 ai=3 mixed=0 unknown=0 tools=copilot/agent:3']);
      } finally {
        repo.dispose();
      }
    });

    it('an edit of a file the hook still finds as it was (and an empty file VS Code made first)', () => {
      const repo = new AgentRepo();
      try {
        const input = logInApp(repo);
        repo.hook('vscode', vscodePayload(repo, 'PreToolUse', 'replace_string_in_file', input, 2));
        repo.hook('vscode', vscodePayload(repo, 'PostToolUse', 'replace_string_in_file', input, 2));
        repo.write(
          'src/app.ts',
          "export function main(): void {\n  console.log('start');\n  console.log('vscode');\n}\n",
        );
        const made = { filePath: `${repo.dir}/src/made.ts`, content: 'export const made = 1;\n' };
        repo.write('src/made.ts', '');
        repo.hook('vscode', vscodePayload(repo, 'PreToolUse', 'create_file', made, 3));
        repo.hook('vscode', vscodePayload(repo, 'PostToolUse', 'create_file', made, 3));
        repo.write('src/made.ts', made.content);
        assert.deepEqual(agentLines(repo, 'src/app.ts'), [[3, 3, 'a', 'copilot', 'agent']]);
        assert.deepEqual(agentLines(repo, 'src/made.ts'), [[1, 1, 'a', 'copilot', 'agent']]);
      } finally {
        repo.dispose();
      }
    });

    it('is VS Code only: another agent whose post-tool hook finds the file unchanged changed nothing', () => {
      const repo = new AgentRepo();
      try {
        const input = {
          file_path: `${repo.dir}/src/app.ts`,
          old_string: "  console.log('start');\n",
          new_string: "  console.log('start');\n  console.log('vscode');\n",
        };
        const claude = (event: string): string =>
          JSON.stringify({
            session_id: 's',
            cwd: repo.dir,
            hook_event_name: event,
            tool_name: 'Edit',
            tool_use_id: 'toolu_1',
            tool_input: input,
          });
        repo.hook('claude-code', claude('PreToolUse'));
        repo.hook('claude-code', claude('PostToolUse')); // its Edit did not write (it failed)
        repo.write(
          'src/app.ts',
          "export function main(): void {\n  console.log('start');\n  console.log('vscode');\n}\n",
        ); // a person wrote the same line
        assert.deepEqual(agentLines(repo, 'src/app.ts'), []);
      } finally {
        repo.dispose();
      }
    });

    it('credits nothing when the change never comes (rejected in VS Code) and a person writes elsewhere', () => {
      const repo = new AgentRepo();
      try {
        const input = logInApp(repo);
        repo.hook('vscode', vscodePayload(repo, 'PreToolUse', 'replace_string_in_file', input, 4));
        repo.hook('vscode', vscodePayload(repo, 'PostToolUse', 'replace_string_in_file', input, 4));
        assert.equal(repo.status().worktree.files.length, 0, 'nothing changed: nothing to attribute');
        repo.write(
          'src/app.ts',
          "export function main(): void {\n  console.log('start');\n}\nexport const other = 2;\n",
        );
        assert.deepEqual(agentLines(repo, 'src/app.ts'), []);
      } finally {
        repo.dispose();
      }
    });
  });

  describe('spool ingestion (ingestAgentSpool)', () => {
    let repo: AgentRepo;
    beforeEach(() => {
      repo = new AgentRepo();
    });
    afterEach(() => repo.dispose());

    const edit = (dir: string, event: string): string =>
      JSON.stringify({
        session_id: 's',
        cwd: dir,
        hook_event_name: event,
        tool_name: 'Edit',
        tool_use_id: 't',
        tool_input: {
          file_path: `${dir}/src/app.ts`,
          old_string: "  console.log('start');\n",
          new_string: "  console.log('start');\n  agent();\n",
        },
      });

    /** A Claude Code Write of `content` to src/new.ts, as its hook sends it. */
    const writeNew = (event: string, content: string): string =>
      JSON.stringify({
        session_id: 's',
        cwd: repo.dir,
        hook_event_name: event,
        tool_name: 'Write',
        tool_use_id: 'w',
        tool_input: { file_path: `${repo.dir}/src/new.ts`, content },
      });
    /** A Claude Code Bash call, as its hook sends it. */
    const bash = (event: string, command: string): string =>
      JSON.stringify({
        session_id: 's',
        cwd: repo.dir,
        hook_event_name: event,
        tool_name: 'Bash',
        tool_use_id: `b-${command}`,
        tool_input: { command },
      });
    const made = 'export const made = 1;\nexport const by = 2;\n';
    /** The agent writes src/new.ts (pre, the write, post), as a session would. */
    const agentWritesNew = (): void => {
      repo.hook('claude-code', writeNew('PreToolUse', made));
      repo.write('src/new.ts', made);
      repo.hook('claude-code', writeNew('PostToolUse', made));
    };
    /** Commits everything with our git hooks installed. */
    const commitWithHooks = (message: string): void => {
      repo.git('add', '-A');
      assert.equal(repo.cli(['hooks', 'install']).status, 0);
      execFileSync('git', ['commit', '-q', '-m', message], {
        cwd: repo.dir,
        env: { ...process.env, ...repo.env },
        stdio: 'pipe',
      });
    };

    it("gives files open in the editor's engine the records' effect in memory, stores the rest, and leaves other records in the spool", async () => {
      const location = await locateRepository(repo.dir);
      new Spool(location, nullLogger).appendSync({ type: 'something-else', value: 1 });
      repo.hook('claude-code', edit(repo.dir, 'PreToolUse'));
      const after = "export function main(): void {\n  console.log('start');\n  agent();\n}\n";
      repo.write('src/app.ts', after);
      repo.hook('claude-code', edit(repo.dir, 'PostToolUse'));
      const editor = new Engine();
      editor.apply({
        t: 'open',
        path: 'src/app.ts',
        text: "export function main(): void {\n  console.log('start');\n}\n",
      });
      editor.apply({ t: 'disk', path: 'src/app.ts', text: after }); // the editor reloaded the file the agent wrote
      const result = await ingestAgentSpool(location, nullLogger, { engine: editor });
      assert.deepEqual(
        { records: result.records, files: result.files, problems: result.problems },
        { records: 2, files: [], problems: [] },
      );
      assert.equal(editor.summary('src/app.ts').lines, 'hhah');
      assert.equal(
        await openRunsStore(location, nullLogger).readLatest('src/app.ts'),
        undefined,
        'an open file is stored by the editor when it saves',
      );
      assert.equal(repo.spooled().length, 1, 'the record of another kind is back in the spool');
      const again = await ingestAgentSpool(location, nullLogger);
      assert.equal(again.records, 0);
      assert.equal(repo.spooled().length, 1);
    });

    it("records the agent's calls on open files in the editor's trace, which replays to what the editor shows", async () => {
      const location = await locateRepository(repo.dir);
      const app = path.join(repo.dir, 'src', 'app.ts');
      const editor = new Engine();
      const apply = (event: ProvenanceEvent): void => {
        editor.apply(event);
        recorder.write(event);
      };
      const before = fs.readFileSync(app, 'utf8');
      editor.apply({ t: 'open', path: app, text: before });
      const recorder = new TraceRecorder(path.join(repo.home, 'session.jsonl'), repo.dir, editor, [app]);
      // The person types a line; the agent runs sed over the file and adds a line with Edit; the editor reloads.
      apply({ t: 'edit', path: app, changes: [{ offset: 0, length: 0, text: '// mine\n' }] });
      apply({ t: 'save', path: app });
      repo.write('src/app.ts', `// mine\n${before}`);
      repo.hook('claude-code', bash('PreToolUse', 'sed -i s/start/begin/ src/app.ts'));
      const sedded = `// mine\n${before.replace('start', 'begin')}`;
      repo.write('src/app.ts', sedded);
      apply({ t: 'disk', path: app, text: sedded });
      repo.hook('claude-code', bash('PostToolUse', 'sed -i s/start/begin/ src/app.ts'));
      const ingested = await ingestAgentSpool(location, nullLogger, {
        engine: editor,
        enginePath: p => path.join(repo.dir, ...p.split('/')),
        onEngineCall: (call, files, at) => recorder.agentCall(call, files, at),
      });
      assert.deepEqual(ingested.problems, []);
      recorder.close();
      const shown = editor.summary(app);
      assert.equal(shown.lines, 'hhmh', "the person's line, the agent's sed (start → begin: some characters kept)");
      const replayed = runCli(['replay', path.join(repo.home, 'session.jsonl')]);
      assert.equal(replayed.status, 0, replayed.stderr);
      assert.deepEqual((JSON.parse(replayed.stdout) as { files: Record<string, unknown> }).files, {
        'src/app.ts': shown,
      });
    });

    it('stores the attribution of closed files for their current work tree text, even when it moved on', async () => {
      const location = await locateRepository(repo.dir);
      repo.hook('claude-code', edit(repo.dir, 'PreToolUse'));
      repo.write('src/app.ts', "export function main(): void {\n  console.log('start');\n  agent();\n}\n");
      repo.hook('claude-code', edit(repo.dir, 'PostToolUse'));
      repo.write(
        'src/app.ts',
        "// later, by hand\nexport function main(): void {\n  console.log('start');\n  agent();\n}\n",
      );
      const result = await ingestAgentSpool(location, nullLogger);
      assert.deepEqual(result.files, ['src/app.ts']);
      const stored = await openRunsStore(location, nullLogger).readRunsForText(
        'src/app.ts',
        fs.readFileSync(path.join(repo.dir, 'src/app.ts')),
      );
      assert.ok(stored, 'a record for the work tree text');
      const status = repo.status();
      assert.deepEqual(
        status.worktree.files.map(f => [f.path, f.added, f.ai, f.unknown]),
        [['src/app.ts', 2, 1, 1]],
      );
    });

    it('keeps the lines of a file the agent wrote and that was then moved, editor closed, before any ingestion', () => {
      agentWritesNew();
      fs.renameSync(path.join(repo.dir, 'src/new.ts'), path.join(repo.dir, 'src/moved.ts'));
      commitWithHooks('agent file, moved');
      assert.deepEqual(repo.trailers('AI-Attribution'), [
        'v1 added=2 ai=2 mixed=0 unknown=0 tools=claude-code/agent:2',
      ]);
    });

    it("keeps the AI lines of an uncommitted file the agent then moves with git mv, and a person's file it moves stays the person's", () => {
      agentWritesNew();
      repo.git('add', 'src/new.ts');
      assert.equal(repo.status().ingested.records, 2);
      repo.write('notes/mine.md', 'written by a person\n');
      const command = 'git mv src/new.ts src/moved.ts && mv notes/mine.md notes/theirs.md';
      repo.hook('claude-code', bash('PreToolUse', command));
      repo.git('mv', 'src/new.ts', 'src/moved.ts');
      fs.renameSync(path.join(repo.dir, 'notes/mine.md'), path.join(repo.dir, 'notes/theirs.md'));
      repo.hook('claude-code', bash('PostToolUse', command));
      commitWithHooks('moved by the agent');
      // 2 AI lines moved, 1 line of the person's: unknown (no record of who wrote it), never the agent's.
      assert.deepEqual(repo.trailers('AI-Attribution'), [
        'v1 added=3 ai=2 mixed=0 unknown=1 tools=claude-code/agent:2',
      ]);
    });

    it('keeps the AI lines of an untracked file the agent wrote and then moved with a plain mv', () => {
      agentWritesNew();
      assert.equal(repo.status().ingested.records, 2);
      repo.hook('claude-code', bash('PreToolUse', 'mv src/new.ts src/moved.ts'));
      fs.renameSync(path.join(repo.dir, 'src/new.ts'), path.join(repo.dir, 'src/moved.ts'));
      repo.hook('claude-code', bash('PostToolUse', 'mv src/new.ts src/moved.ts'));
      commitWithHooks('moved by the agent');
      assert.deepEqual(repo.trailers('AI-Attribution'), [
        'v1 added=2 ai=2 mixed=0 unknown=0 tools=claude-code/agent:2',
      ]);
    });

    for (const saved of [true, false]) {
      it(`an agent's git stash and stash pop give a person's work back as the person's (${saved ? 'saved in the editor' : 'no record of it'})`, async () => {
        const mine = "export function main(): void {\n  console.log('start');\n  mine();\n}\n";
        repo.write('src/app.ts', mine);
        if (saved) {
          // The editor saved it: a record of the person's text, as the extension writes on save.
          const store = openRunsStore(await locateRepository(repo.dir), nullLogger);
          await store.writeRuns('src/app.ts', mine, encodeRuns([{ length: mine.length, origin: HUMAN }]));
        }
        for (const command of ['git stash', 'git stash pop']) {
          repo.hook('claude-code', bash('PreToolUse', command));
          execFileSync('git', command.split(' ').slice(1), {
            cwd: repo.dir,
            env: { ...process.env, ...repo.env },
            stdio: 'pipe',
          });
          repo.hook('claude-code', bash('PostToolUse', command));
          assert.deepEqual(repo.status().ingested.problems, []);
        }
        assert.equal(fs.readFileSync(path.join(repo.dir, 'src/app.ts'), 'utf8'), mine);
        commitWithHooks('my work, stashed and popped by the agent');
        assert.deepEqual(repo.trailers('AI-Attribution'), [], "the person's line was credited to the agent");
      });
    }

    it('but text the agent writes in the same command as a stash is its own', () => {
      const command = 'git stash && echo "export const fresh = 1;" > src/fresh.ts';
      repo.write('src/app.ts', 'export function main(): void {\n  mine();\n}\n');
      repo.hook('claude-code', bash('PreToolUse', command));
      execFileSync('git', ['stash'], { cwd: repo.dir, stdio: 'pipe' });
      repo.write('src/fresh.ts', 'export const fresh = 1;\n');
      repo.hook('claude-code', bash('PostToolUse', command));
      commitWithHooks('fresh');
      assert.deepEqual(repo.trailers('AI-Attribution'), [
        'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1',
      ]);
    });

    it("keeps an agent's lines through a later edit outside the editor: the text it stored is in git's object database", () => {
      repo.hook('claude-code', edit(repo.dir, 'PreToolUse'));
      const agentText = "export function main(): void {\n  console.log('start');\n  agent();\n}\n";
      repo.write('src/app.ts', agentText);
      repo.hook('claude-code', edit(repo.dir, 'PostToolUse'));
      assert.equal(
        repo.status().ingested.records,
        2,
        'ingested (pre and post), as an editor or a hook would, before the next edit',
      );
      const blob = repo.git('hash-object', 'src/app.ts').trim();
      assert.equal(repo.git('cat-file', '-t', blob).trim(), 'blob', 'the ingested text is kept as a git blob');
      // Then a terminal editor (or a formatter) changes the file, and the person commits.
      repo.write('src/app.ts', `// by hand\n${agentText}`);
      repo.git('add', '-A');
      assert.equal(repo.cli(['hooks', 'install']).status, 0);
      execFileSync('git', ['commit', '-q', '-m', 'agent, then by hand'], {
        cwd: repo.dir,
        env: { ...process.env, ...repo.env },
        stdio: 'pipe',
      });
      assert.deepEqual(repo.trailers('AI-Attribution'), [
        'v1 added=2 ai=1 mixed=0 unknown=1 tools=claude-code/agent:1',
      ]);
    });
  });

  it('marks the commit for review when agent records cannot be taken in, and keeps them for the next commit', () => {
    const repo = new AgentRepo();
    try {
      const file = `${repo.dir}/src/made.ts`;
      const text = 'export const made = 1;\nexport const by = 2;\n';
      const call = (event: string) =>
        JSON.stringify({
          session_id: 's',
          cwd: repo.dir,
          hook_event_name: event,
          tool_name: 'Write',
          tool_input: { file_path: file, content: text },
          tool_use_id: 'toolu_unstored',
        });
      repo.hook('claude-code', call('PreToolUse'));
      repo.write('src/made.ts', text);
      repo.hook('claude-code', call('PostToolUse'));
      assert.equal(repo.spooled().length, 2);
      // The store cannot be written (its folder is a file): the records' lines cannot be attributed at this commit.
      const runs = path.join(repo.dir, '.git', 'ai-provenance', 'runs');
      fs.rmSync(runs, { recursive: true, force: true });
      fs.writeFileSync(runs, 'not a folder');
      repo.git('add', '-A');
      assert.equal(repo.cli(['hooks', 'install']).status, 0);
      const r = spawnSync('git', ['commit', '-q', '-m', 'agent work, store broken'], {
        cwd: repo.dir,
        env: { ...process.env, ...repo.env },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /agent hook records could not all be taken in/);
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 failed'], 'the AI lines reached the commit unflagged');
      assert.equal(repo.spooled().length, 2, 'the records wait in the spool');
    } finally {
      repo.dispose();
    }
  });

  describe('attribution never lost or invented: each scenario with the spool ingested at the commit, and after every hook', () => {
    const app = "export function main(): void {\n  console.log('start');\n}\n";
    const withAgent = "export function main(): void {\n  console.log('start');\n  agent();\n}\n";
    const made = 'export const made = 1;\nexport const by = 2;\n';
    /** One step of a scenario: the agent's tool call (its hooks around what it does) or a person's doing. */
    type Step = (repo: AgentRepo, hook: (payload: object) => void) => void;
    const payload = (repo: AgentRepo, event: string, tool: string, input: object, id: string): object => ({
      session_id: 's',
      cwd: repo.dir,
      hook_event_name: event,
      tool_name: tool,
      tool_use_id: id,
      tool_input: input,
    });
    /** An agent tool call: PreToolUse, what the tool does, PostToolUse. */
    const tool =
      (name: string, input: (repo: AgentRepo) => object, act: (repo: AgentRepo) => void, id: string): Step =>
      (repo, hook) => {
        hook(payload(repo, 'PreToolUse', name, input(repo), id));
        act(repo);
        hook(payload(repo, 'PostToolUse', name, input(repo), id));
      };
    const agentEdit = (id: string, oldString: string, newString: string): Step =>
      tool(
        'Edit',
        repo => ({ file_path: `${repo.dir}/src/app.ts`, old_string: oldString, new_string: newString }),
        repo =>
          repo.write(
            'src/app.ts',
            fs.readFileSync(path.join(repo.dir, 'src/app.ts'), 'utf8').replace(oldString, newString),
          ),
        id,
      );
    const agentAddsLine = agentEdit('e1', "  console.log('start');\n", "  console.log('start');\n  agent();\n");
    const agentWritesNew = tool(
      'Write',
      repo => ({ file_path: `${repo.dir}/src/new.ts`, content: made }),
      repo => repo.write('src/new.ts', made),
      'w1',
    );
    const shell = (command: string, act: (repo: AgentRepo) => void, id: string): Step =>
      tool('Bash', () => ({ command }), act, id);
    const person =
      (act: (repo: AgentRepo) => void): Step =>
      repo =>
        act(repo);
    const scenarios: { name: string; steps: Step[]; attribution: string[] }[] = [
      {
        name: 'an agent edit, then a terminal editor changes another line',
        steps: [agentAddsLine, person(r => r.write('src/app.ts', withAgent.replace('main()', 'run()')))],
        attribution: ['v1 added=2 ai=1 mixed=0 unknown=1 tools=claude-code/agent:1'],
      },
      {
        name: 'an agent edit, then a formatter re-indents the file',
        steps: [agentAddsLine, person(r => r.write('src/app.ts', withAgent.replace(/^ {2}/gm, '    ')))],
        attribution: ['v1 added=2 ai=1 mixed=0 unknown=1 tools=claude-code/agent:1'],
      },
      {
        name: 'the agent edits again after a change outside the editor',
        steps: [
          agentAddsLine,
          person(r => r.write('src/app.ts', `// header\n${withAgent}`)),
          agentEdit('e2', '  agent();\n', '  agent();\n  again();\n'),
        ],
        attribution: ['v1 added=3 ai=2 mixed=0 unknown=1 tools=claude-code/agent:2'],
      },
      {
        name: "the agent's new file moved by a person before the commit",
        steps: [
          agentWritesNew,
          person(r => fs.renameSync(path.join(r.dir, 'src/new.ts'), path.join(r.dir, 'src/moved.ts'))),
        ],
        attribution: ['v1 added=2 ai=2 mixed=0 unknown=0 tools=claude-code/agent:2'],
      },
      {
        name: "the agent's new file deleted, then its text put back",
        steps: [
          agentWritesNew,
          person(r => fs.rmSync(path.join(r.dir, 'src/new.ts'))),
          person(r => r.write('src/new.ts', made)),
        ],
        attribution: ['v1 added=2 ai=2 mixed=0 unknown=0 tools=claude-code/agent:2'],
      },
      {
        name: "the agent's git mv of its uncommitted file",
        steps: [
          agentWritesNew,
          person(r => r.git('add', 'src/new.ts')),
          shell('git mv src/new.ts src/moved.ts', r => r.git('mv', 'src/new.ts', 'src/moved.ts'), 'b1'),
        ],
        attribution: ['v1 added=2 ai=2 mixed=0 unknown=0 tools=claude-code/agent:2'],
      },
      {
        name: "the agent's mv of a person's untracked file leaves it theirs",
        steps: [
          person(r => r.write('notes/mine.md', 'written by a person\n')),
          shell(
            'mv notes/mine.md notes/theirs.md',
            r => fs.renameSync(path.join(r.dir, 'notes/mine.md'), path.join(r.dir, 'notes/theirs.md')),
            'b2',
          ),
        ],
        attribution: [],
      },
      {
        name: "the agent's git stash and stash pop give a person's work back as theirs",
        steps: [
          person(r => r.write('src/app.ts', app.replace("'start'", "'mine'"))),
          shell('git stash', r => r.git('stash', '-q'), 'b3'),
          shell('git stash pop', r => r.git('stash', 'pop', '-q'), 'b4'),
        ],
        attribution: [],
      },
      {
        name: 'an agent edit that only removes part of a line (a check in a condition)',
        steps: [agentEdit('e4', "console.log('start')", 'console.log()')],
        attribution: ['v1 added=1 ai=0 mixed=0 unknown=1 tools= deleted=1'],
      },
      {
        name: 'an agent edit that only removes a line',
        steps: [agentEdit('e3', "  console.log('start');\n", '')],
        attribution: ['v1 added=0 ai=0 mixed=0 unknown=0 tools= deleted=1'],
      },
    ];
    for (const timing of ['at the commit', 'after every hook'] as const) {
      for (const scenario of scenarios) {
        it(`${scenario.name} (ingested ${timing})`, () => {
          const repo = new AgentRepo();
          try {
            assert.equal(repo.cli(['hooks', 'install']).status, 0);
            const hook = (p: object): void => {
              repo.hook('claude-code', JSON.stringify(p));
              if (timing === 'after every hook') assert.deepEqual(repo.status().ingested.problems, []);
            };
            for (const step of scenario.steps) step(repo, hook);
            repo.git('add', '-A');
            execFileSync('git', ['commit', '-q', '--allow-empty', '-m', scenario.name], {
              cwd: repo.dir,
              env: { ...process.env, ...repo.env },
              stdio: 'pipe',
            });
            assert.deepEqual(repo.trailers('AI-Attribution'), scenario.attribution);
          } finally {
            repo.dispose();
          }
        });
      }
    }
  });

  describe('shells that write after their post-tool hook: attributed when the agent shows they ended, else the commit asks for review', () => {
    let repo: AgentRepo;
    beforeEach(() => {
      repo = new AgentRepo();
      assert.equal(repo.cli(['hooks', 'install']).status, 0);
    });
    afterEach(() => repo.dispose());

    const bg = "sleep 3; mkdir -p src; printf 'export const bg = 1;\\n' > src/bg.ts";
    /** A fixture as an object, with the example folders replaced by ours and `change` applied. */
    const payload = (agent: AgentName, name: string, change: Record<string, unknown> = {}): string =>
      JSON.stringify({ ...(JSON.parse(repo.payload(agent, name)) as object), ...change });
    const commit = (): void => {
      repo.git('add', '-A');
      execFileSync('git', ['commit', '-q', '-m', 'work'], {
        cwd: repo.dir,
        env: { ...process.env, ...repo.env },
        stdio: 'pipe',
      });
    };
    /** Codex's pre-tool hook of a shell command, and no post-tool hook: it is still running when Codex answers. */
    const codexStarts = (id: string, command: string): void => {
      repo.hook(
        'codex',
        JSON.stringify({
          session_id: 's',
          cwd: repo.dir,
          hook_event_name: 'PreToolUse',
          tool_name: 'Bash',
          tool_use_id: id,
          tool_input: { command },
        }),
      );
    };
    const unfinished = (): { agent: string; command: string; background: boolean; paths: string[] }[] =>
      (JSON.parse(repo.cli(['status', '--json']).stdout) as { unfinishedShells: never[] }).unfinishedShells;
    const checkOf = (): { status: number | null; needReason: unknown; needsSignoff: unknown } => {
      const r = repo.cli(['check', '--base', 'HEAD~1', '--format', 'json']);
      const [first] = (JSON.parse(r.stdout) as { commits: { needReason: unknown; needsSignoff: unknown }[] }).commits;
      return { status: r.status, needReason: first?.needReason, needsSignoff: first?.needsSignoff };
    };

    it("Copilot CLI's async shell: pending at the first Stop, the agent's once its session log says it completed", () => {
      const session = '78c02617-36cb-497d-a5da-36ecc583b114';
      const input = { command: bg, description: 'gen', mode: 'async' };
      repo.hook('vscode', payload('copilot-cli', 'pre-bash.json', { session_id: session, tool_input: input }));
      repo.hook('vscode', payload('copilot-cli', 'post-bash-async.json'));
      repo.hook('vscode', payload('copilot-cli', 'stop.json'));
      repo.write('src/bg.ts', 'export const bg = 1;\n'); // the shell writes after its post-tool hook
      const events = path.join(repo.home, '.copilot', 'session-state', session, 'events.jsonl');
      fs.mkdirSync(path.dirname(events), { recursive: true });
      fs.writeFileSync(events, '{"type":"session.model_change","data":{"newModel":"claude-sonnet-4-5"}}\n');
      repo.hook('vscode', payload('copilot-cli', 'stop.json')); // a turn's end that says nothing of the shell
      assert.deepEqual(
        unfinished().map(u => [u.agent, u.command, u.background, u.paths]),
        [['copilot-cli', bg, true, ['src/bg.ts']]],
      );
      fs.appendFileSync(
        events,
        `${JSON.stringify({ type: 'system.notification', timestamp: new Date().toISOString(), data: { kind: { type: 'shell_completed', shellId: '0', exitCode: 0 } } })}\n`,
      );
      repo.hook('vscode', payload('copilot-cli', 'stop.json'));
      assert.deepEqual(unfinished(), []);
      const [file] = repo.status().worktree.files;
      assert.deepEqual([file?.path, file?.ai, file?.unknown, file?.segments[0]?.tool], ['src/bg.ts', 1, 0, 'copilot']);
      commit();
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/agent:1']);
    });

    it('a shell whose end never came: a commit of what it may have written is skipped=, and check asks a senior', () => {
      const session = '78c02617-36cb-497d-a5da-36ecc583b114';
      const input = { command: bg, description: 'gen', mode: 'async', detach: true };
      repo.hook('vscode', payload('copilot-cli', 'pre-bash.json', { session_id: session, tool_input: input }));
      repo.hook(
        'vscode',
        payload('copilot-cli', 'post-bash-async.json', {
          tool_input: input,
          tool_result: {
            result_type: 'success',
            text_result_for_llm: '<command started in detached background with shellId: 0>',
          },
        }),
      );
      repo.hook('vscode', payload('copilot-cli', 'stop.json'));
      repo.write('src/bg.ts', 'export const bg = 1;\n');
      repo.write('README.md', '# demo\nedited by hand, before the shell ran? nobody knows\n');
      const st = repo.cli(['status']);
      assert.match(
        st.stdout,
        /Copilot CLI's background shell command "sleep 3; .*" \(started .*, its end not reported\): a commit of README\.md, src\/bg\.ts with unknown lines asks for review/,
      );
      commit();
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=2 ai=0 mixed=0 unknown=2 tools= skipped=2']);
      assert.deepEqual(checkOf(), {
        status: 1,
        needReason: { code: 'unattested', why: 'incomplete' },
        needsSignoff: true,
      });
    });

    it("a shell whose post-tool hook never came (Codex's command still running when it answered the model) asks for review", () => {
      codexStarts('c1', bg);
      repo.write('src/bg.ts', 'export const bg = 1;\n');
      assert.deepEqual(
        unfinished().map(u => [u.agent, u.background, u.paths]),
        [['codex', false, ['src/bg.ts']]],
      );
      commit();
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=0 mixed=0 unknown=1 tools= skipped=1']);
    });

    it('an agent hook record that does not read: its files ask for review until committed, and status names it', async () => {
      // What a newer hook (a format this CLI does not know) or a damaged spool file leaves: an agent's record whose
      // call cannot be applied. The file it wrote has unknown lines; without the record, nothing else says an agent
      // wrote them.
      const location = await locateRepository(repo.dir);
      const text = 'export const gen = 1;\n';
      repo.write('src/gen.ts', text);
      new Spool(location, nullLogger).appendSync({
        type: 'agent-hook',
        v: 1,
        at: new Date().toISOString(),
        call: {
          agent: 'claude-code',
          event: 'PostToolUse',
          phase: 'post',
          tool: 'Write',
          origin: { tool: 'claude-code', kind: 'agent' },
          edits: [{ path: 'src/gen.ts', op: 'patch-v2' }],
        },
        files: [{ path: 'src/gen.ts', after: text }],
      });
      repo.write('src/other.ts', 'by hand, outside the editor\n');
      const st = repo.cli(['status']);
      assert.match(
        st.stderr,
        /dropped agent hook record .*call\.edits\[0\]\.op must be .*a commit of src\/gen\.ts with unknown lines asks for review/,
      );
      assert.deepEqual(
        unfinished().map(u => [u.agent, u.paths]),
        [['claude-code', ['src/gen.ts']]],
      );
      assert.match(st.stdout, /Claude Code's hook record that could not be read \(call\.edits\[0\]\.op must be/);
      commit();
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=2 ai=0 mixed=0 unknown=2 tools= skipped=1']);
      assert.deepEqual(checkOf(), {
        status: 1,
        needReason: { code: 'unattested', why: 'incomplete' },
        needsSignoff: true,
      });
      assert.deepEqual(unfinished(), [], 'committed: nothing is left to ask about');
    });

    it('an agent hook record that does not read, first met by the commit: that commit asks for review', async () => {
      const location = await locateRepository(repo.dir);
      repo.write('src/gen.ts', 'export const gen = 1;\n');
      new Spool(location, nullLogger).appendSync({
        type: 'agent-hook',
        v: 9,
        at: new Date().toISOString(),
        call: { agent: 'codex' },
        files: [{ path: 'src/gen.ts' }],
      });
      commit();
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=0 mixed=0 unknown=1 tools= skipped=1']);
    });

    it('a spool file that does not read at all: every changed file asks for review', async () => {
      const location = await locateRepository(repo.dir);
      repo.write('src/gen.ts', 'export const gen = 1;\n');
      const spool = new Spool(location, nullLogger);
      const name = spool.appendSync({ type: 'agent-hook', v: 1 });
      fs.writeFileSync(path.join(spool.dir, name), '{"version": 2, "record": {"type": "agent-hook"'); // cut short
      commit();
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=0 mixed=0 unknown=1 tools= skipped=1']);
    });

    it('an agent hook record naming a path that does not read: every changed file asks for review', async () => {
      const location = await locateRepository(repo.dir);
      repo.write('src/a.ts', 'a\n');
      repo.write('src/b.ts', 'b\n');
      new Spool(location, nullLogger).appendSync({
        type: 'agent-hook',
        v: 1,
        at: '2020-01-01 (\u001b[31mRED)',
        call: { agent: 'claude-code', edits: [{ path: 'src/a.ts' }, { path: '/abs/b.ts' }] },
        files: [],
      });
      const st = repo.cli(['status']);
      assert.deepEqual(
        unfinished().map(u => u.paths),
        [['src/a.ts', 'src/b.ts']],
      );
      assert.ok(!(st.stdout + st.stderr).includes('\u001b'), 'a control character reached the terminal');
      // While the pre-commit framework has the change set aside (PRE_COMMIT=1), the entry stays.
      const saved = fs.readFileSync(path.join(repo.dir, 'src/b.ts'));
      fs.rmSync(path.join(repo.dir, 'src/a.ts'));
      fs.rmSync(path.join(repo.dir, 'src/b.ts'));
      assert.equal(runCli(['status'], { cwd: repo.dir, env: { ...repo.env, PRE_COMMIT: '1' } }).status, 0);
      repo.write('src/a.ts', 'a\n');
      fs.writeFileSync(path.join(repo.dir, 'src/b.ts'), saved);
      assert.deepEqual(
        unfinished().map(u => u.paths),
        [['src/a.ts', 'src/b.ts']],
      );
    });

    it('an agent hook record that does not read and names no file: every changed file asks for review', async () => {
      const location = await locateRepository(repo.dir);
      repo.write('src/a.ts', 'a\n');
      repo.write('README.md', '# demo\nchanged\n');
      new Spool(location, nullLogger).appendSync({ type: 'agent-hook', v: 2, at: 'not a time', call: null, files: 7 });
      repo.cli(['status']);
      assert.deepEqual(
        unfinished().map(u => [u.agent, u.paths]),
        [[undefined, ['README.md', 'src/a.ts']]],
      );
    });

    it("a call the person refused (a pre-tool hook, no post) is forgotten at the turn's end when nothing else runs", () => {
      const claude = (event: string, extra: object = {}): string =>
        JSON.stringify({
          session_id: 's',
          cwd: repo.dir,
          hook_event_name: event,
          tool_name: 'Bash',
          tool_use_id: 'r1',
          tool_input: { command: 'rm -rf build' },
          ...extra,
        });
      repo.hook('claude-code', claude('PreToolUse'));
      // A background task still runs: the call may be a sub-agent's still running, so it stays.
      repo.hook(
        'claude-code',
        JSON.stringify({
          session_id: 's',
          cwd: repo.dir,
          hook_event_name: 'Stop',
          background_tasks: [{ id: 't9', status: 'running' }],
        }),
      );
      assert.equal(unfinished().length, 1);
      repo.hook(
        'claude-code',
        JSON.stringify({ session_id: 's', cwd: repo.dir, hook_event_name: 'Stop', background_tasks: [] }),
      );
      assert.deepEqual(unfinished(), []);
      repo.write('README.md', '# demo\nby hand\n');
      commit();
      assert.deepEqual(repo.trailers('AI-Attribution'), []);
    });

    it('a call whose post-tool hook was lost after it wrote is not taken for a refusal', () => {
      const claude = (event: string, extra: object = {}): string =>
        JSON.stringify({ session_id: 's', cwd: repo.dir, hook_event_name: event, ...extra });
      repo.hook(
        'claude-code',
        claude('PreToolUse', { tool_name: 'Bash', tool_use_id: 'l1', tool_input: { command: 'make gen' } }),
      );
      repo.write('src/gen.ts', 'export const gen = 1;\n'); // it ran; its post-tool hook timed out
      repo.hook('claude-code', claude('Stop', { background_tasks: [] }));
      assert.deepEqual(
        unfinished().map(u => [u.command, u.paths]),
        [['make gen', ['src/gen.ts']]],
      );
      commit();
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=0 mixed=0 unknown=1 tools= skipped=1']);
    });

    it('a shell snapshot a day old still asks for review of what changed by then, until that is committed', () => {
      codexStarts('c9', 'npm run dev');
      repo.write('src/dev.ts', 'export const dev = 1;\n');
      // Two days pass.
      const dir = path.join(repo.dir, '.git', 'ai-provenance', 'agent-shell');
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as { at: string };
        snapshot.at = new Date(Date.now() - 2 * 24 * 3600_000).toISOString();
        fs.writeFileSync(file, JSON.stringify(snapshot));
      }
      assert.deepEqual(
        unfinished().map(u => u.paths),
        [['src/dev.ts']],
      );
      assert.deepEqual(
        fs.readdirSync(dir).map(n => n.replace(/-[0-9a-f]+\.json$/, '')),
        ['expired'],
      );
      // Files changed later are not held against it.
      repo.write('README.md', '# demo\nlater, by hand\n');
      assert.deepEqual(
        unfinished().map(u => u.paths),
        [['src/dev.ts']],
      );
      commit();
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=2 ai=0 mixed=0 unknown=2 tools= skipped=1']);
      // Committed: nothing left to ask about.
      assert.deepEqual(unfinished(), []);
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it("Qwen Code's background shell: its status file says when it ended", () => {
      const status = path.join(repo.home, 'shell-bg_1.status');
      const input = { command: bg, is_background: true, description: 'gen' };
      const pre = payload('qwen-code', 'pre-run-shell-command.json', { tool_input: input, tool_use_id: 'q1' });
      repo.hook('qwen-code', pre);
      const started = `Background shell started.\nid: bg_1\npid: 999999\noutput file: ${repo.home}/shell-bg_1.output\nstatus file: ${status}\n`;
      repo.hook(
        'qwen-code',
        payload('qwen-code', 'post-run-shell-command.json', {
          tool_input: input,
          tool_use_id: 'q1',
          tool_response: { llmContent: started },
        }),
      );
      fs.writeFileSync(status, JSON.stringify({ id: 'bg_1', status: 'running', command: bg }));
      repo.write('src/bg.ts', 'export const bg = 1;\n');
      const stop = payload('qwen-code', 'stop.json', { session_id: JSON.parse(pre).session_id });
      repo.hook('qwen-code', stop);
      assert.equal(unfinished().length, 1, 'still running by its status file');
      // It ended a minute ago; a file changed since then is someone else's too: not credited, asks for review.
      const ended = Date.now() - 60_000;
      fs.utimesSync(path.join(repo.dir, 'src/bg.ts'), new Date(ended - 5000), new Date(ended - 5000));
      repo.write('src/later.ts', 'export const later = 1;\n');
      fs.writeFileSync(
        status,
        JSON.stringify({ id: 'bg_1', status: 'completed', exitCode: 0, endTime: new Date(ended).toISOString() }),
      );
      repo.hook('qwen-code', stop);
      assert.deepEqual(
        unfinished().map(u => [u.command, u.paths]),
        [[bg, ['src/later.ts']]],
      );
      const files = repo.status().worktree.files.map(f => [f.path, f.ai, f.unknown, f.segments[0]?.tool]);
      assert.deepEqual(files, [
        ['src/bg.ts', 1, 0, 'qwen-code'],
        ['src/later.ts', 0, 1, undefined],
      ]);
      commit();
      assert.deepEqual(repo.trailers('AI-Attribution'), [
        'v1 added=2 ai=1 mixed=0 unknown=1 tools=qwen-code/agent:1 skipped=1',
      ]);
    });

    it("Gemini CLI's background shell: ended when its process is gone", async () => {
      const child = spawn('sleep', ['30'], { stdio: 'ignore' });
      try {
        const input = { command: bg, is_background: true };
        repo.hook('gemini-cli', payload('gemini-cli', 'before-shell.json', { tool_input: input }));
        const moved = `Command moved to background (PID: ${child.pid}). Output hidden. Press Ctrl+B to view.`;
        repo.hook(
          'gemini-cli',
          payload('gemini-cli', 'after-shell.json', { tool_input: input, tool_response: { llmContent: moved } }),
        );
        repo.write('src/bg.ts', 'export const bg = 1;\n');
        repo.hook(
          'gemini-cli',
          payload('gemini-cli', 'after-agent.json', {
            session_id: JSON.parse(repo.payload('gemini-cli', 'after-shell.json')).session_id,
          }),
        );
        assert.equal(unfinished().length, 1, 'its process still runs');
      } finally {
        child.kill();
        await new Promise(resolve => child.on('exit', resolve));
      }
      repo.hook(
        'gemini-cli',
        payload('gemini-cli', 'after-agent.json', {
          session_id: JSON.parse(repo.payload('gemini-cli', 'after-shell.json')).session_id,
        }),
      );
      assert.deepEqual(unfinished(), []);
      const [file] = repo.status().worktree.files;
      assert.deepEqual([file?.path, file?.ai, file?.segments[0]?.tool], ['src/bg.ts', 1, 'gemini-cli']);
    });
  });

  describe('AI deletions: what an agent removes needs a senior too', () => {
    let repo: AgentRepo;
    beforeEach(() => {
      repo = new AgentRepo();
      repo.write(
        'src/guard.ts',
        'export function pay(amount: number): void {\n  if (amount < 0) throw new Error("negative");\n  charge(amount);\n}\n',
      );
      repo.write('deploy/env.tf', 'resource "db" "main" {\n  size = "large"\n}\n');
      repo.commitAll('guard and env');
      assert.equal(repo.cli(['hooks', 'install']).status, 0);
    });
    afterEach(() => repo.dispose());

    const claude = (event: string, tool: string, input: Record<string, unknown>, id: string): string =>
      JSON.stringify({
        session_id: 's',
        cwd: repo.dir,
        hook_event_name: event,
        tool_name: tool,
        tool_use_id: id,
        tool_input: input,
      });
    const commit = (message: string): void => {
      repo.git('add', '-A');
      execFileSync('git', ['commit', '-q', '-m', message], {
        cwd: repo.dir,
        env: { ...process.env, ...repo.env },
        stdio: 'pipe',
      });
    };
    const check = (): { status: number | null; commits: { needsSignoff: boolean; aiLines: number }[] } => {
      const r = repo.cli(['check', '--base', 'HEAD~1', '--format', 'json']);
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      return {
        status: r.status,
        commits: (JSON.parse(r.stdout) as { commits: { needsSignoff: boolean; aiLines: number }[] }).commits,
      };
    };

    /** Claude Code's Edit that takes the validation out of pay(), as its hooks report it around the write. */
    const agentRemovesTheCheck = (): void => {
      const input = {
        file_path: `${repo.dir}/src/guard.ts`,
        old_string: '  if (amount < 0) throw new Error("negative");\n',
        new_string: '',
      };
      repo.hook('claude-code', claude('PreToolUse', 'Edit', input, 'e1'));
      repo.write('src/guard.ts', 'export function pay(amount: number): void {\n  charge(amount);\n}\n');
      repo.hook('claude-code', claude('PostToolUse', 'Edit', input, 'e1'));
    };

    it('an Edit that only removes a validation: deleted=1, the agent credited, and check wants a sign-off', () => {
      agentRemovesTheCheck();
      commit('chore: simplify pay');
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=0 ai=0 mixed=0 unknown=0 tools= deleted=1']);
      assert.deepEqual(repo.trailers('Assisted-by'), ['Claude']);
      const { status, commits } = check();
      assert.equal(status, 1);
      assert.equal(commits[0]?.needsSignoff, true);
      assert.equal(commits[0]?.aiLines, 1);
      // The note says which line, in the file as it was; log shows it.
      const note = JSON.parse(repo.git('notes', '--ref', 'refs/notes/ai-provenance', 'show', 'HEAD')) as {
        files: unknown[];
        metadata: { 'dev.ai-provenance': { removed?: unknown } };
      };
      assert.deepEqual(note.files, []);
      assert.deepEqual(note.metadata['dev.ai-provenance'].removed, [
        { path: 'src/guard.ts', tool: 'claude-code', kind: 'agent', ranges: [{ start_line: 2, end_line: 2 }] },
      ]);
      const log = repo.cli(['log', 'HEAD~1..HEAD']);
      assert.equal(log.status, 0, log.stderr);
      assert.match(log.stdout, /src\/guard\.ts {2}0 AI lines; removed by AI: lines 2 of the parent's version/);
    });

    it('a trailer stripped from a deletion-only commit, while its note lists what the AI removed, is unattested', () => {
      agentRemovesTheCheck();
      commit('chore: simplify pay');
      repo.git('config', 'notes.rewriteRef', 'refs/notes/ai-provenance');
      // Reworded where our hooks do not run: the message loses the trailers, the note comes along.
      repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--amend', '-m', 'chore: simplify pay, by hand');
      assert.deepEqual(repo.trailers('AI-Attribution'), []);
      const r = repo.cli(['check', '--base', 'HEAD~1', '--format', 'json']);
      assert.equal(r.status, 1, r.stdout);
      const [c] = (JSON.parse(r.stdout) as { commits: { needReason?: unknown; aiLines: number }[] }).commits;
      assert.deepEqual(c?.needReason, { code: 'unattested', why: 'note-disagrees' });
      assert.equal(c?.aiLines, 1);
    });

    it('a shell command that deletes a resource file: every line of it counts', () => {
      const command = 'rm deploy/env.tf';
      repo.hook('claude-code', claude('PreToolUse', 'Bash', { command }, 'b1'));
      fs.rmSync(path.join(repo.dir, 'deploy/env.tf'));
      repo.hook('claude-code', claude('PostToolUse', 'Bash', { command }, 'b1'));
      commit('chore: drop env');
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=0 ai=0 mixed=0 unknown=0 tools= deleted=3']);
      assert.equal(check().status, 1);
    });

    it("a file the agent moves is not a deletion, and a line a person removes is not the agent's", () => {
      const command = 'git mv deploy/env.tf deploy/main.tf';
      repo.hook('claude-code', claude('PreToolUse', 'Bash', { command }, 'b2'));
      repo.git('mv', 'deploy/env.tf', 'deploy/main.tf');
      repo.hook('claude-code', claude('PostToolUse', 'Bash', { command }, 'b2'));
      repo.write('src/guard.ts', 'export function pay(amount: number): void {\n  charge(amount);\n}\n');
      commit('chore: rename, and a line removed by hand');
      assert.deepEqual(repo.trailers('AI-Attribution'), []);
      assert.equal(check().status, 0);
    });

    it('the policy can leave AI deletions out (signoff.aiDeletions: false)', () => {
      repo.write('.ai-provenance/policy.json', JSON.stringify({ version: 1, signoff: { aiDeletions: false } }));
      repo.commitAll('policy');
      agentRemovesTheCheck();
      commit('chore: simplify pay');
      assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=0 ai=0 mixed=0 unknown=0 tools= deleted=1']);
      const r = repo.cli(['check', '--base', 'HEAD~1']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });
  });

  describe('replay of traces with agent events', () => {
    /**
     * One agent flow, done twice: for real (the hook through the CLI, files written, then status ingests the spool)
     * and as the editor's trace would show it (the payloads, and a disk event where a file changed). `known` files
     * are ones the editor had seen (open, then closed) before the flow.
     */
    interface Flow {
      name: string;
      known?: string[];
      /** The trace carries the spool's records as `agent-call` events (what the editor records), not the payloads. */
      records?: boolean;
      steps: ({ pre: object } | { post: object } | { write: string; text: string })[];
      /** The AI lines both must report, as `path:start-end`. */
      ai: string[];
    }
    const appText = "export function main(): void {\n  console.log('start');\n}\n";
    const payload = (repo: AgentRepo, event: string, step: object): string =>
      JSON.stringify({ session_id: 's', cwd: repo.dir, hook_event_name: event, tool_use_id: 't', ...step });
    const flows = (dir: string): Flow[] => {
      const editApp = {
        tool_name: 'Edit',
        tool_input: {
          file_path: `${dir}/src/app.ts`,
          old_string: "  console.log('start');\n",
          new_string: "  console.log('start');\n  agent();\n",
        },
      };
      const edited = "export function main(): void {\n  console.log('start');\n  agent();\n}\n";
      const made = 'export const made = 1;\nexport const by = 2;\n';
      const write = { tool_name: 'Write', tool_input: { file_path: `${dir}/src/new.ts`, content: made } };
      const sed = { tool_name: 'Bash', tool_input: { command: 'sed -i s/start/begin/ src/app.ts' } };
      const gen = { tool_name: 'Bash', tool_input: { command: "echo 'export const hi = 1;' > src/gen.ts" } };
      return [
        {
          name: 'Edit of a file the editor never saw',
          steps: [{ pre: editApp }, { write: 'src/app.ts', text: edited }, { post: editApp }],
          ai: ['src/app.ts:3-3'],
        },
        {
          name: 'Edit, its post alone, after the disk event',
          steps: [{ write: 'src/app.ts', text: edited }, { post: editApp }],
          ai: ['src/app.ts:3-3'],
        },
        {
          name: 'Write of a new file',
          steps: [{ pre: write }, { write: 'src/new.ts', text: made }, { post: write }],
          ai: ['src/new.ts:1-2'],
        },
        {
          name: 'Write of a new file, its post alone',
          steps: [{ write: 'src/new.ts', text: made }, { post: write }],
          ai: ['src/new.ts:1-2'],
        },
        {
          name: 'sed -i between PreToolUse and PostToolUse',
          known: ['src/app.ts'],
          steps: [{ pre: sed }, { write: 'src/app.ts', text: appText.replace('start', 'begin') }, { post: sed }],
          ai: ['src/app.ts:2-2'],
        },
        {
          name: 'a shell command that creates a file, recorded with the texts the hook saw',
          records: true,
          steps: [{ pre: gen }, { write: 'src/gen.ts', text: 'export const hi = 1;\n' }, { post: gen }],
          ai: ['src/gen.ts:1-1'],
        },
        {
          name: 'sed -i, recorded with the texts the hook saw',
          records: true,
          steps: [{ pre: sed }, { write: 'src/app.ts', text: appText.replace('start', 'begin') }, { post: sed }],
          ai: ['src/app.ts:2-2'],
        },
        {
          name: 'a shell command without its PreToolUse changes nothing to AI',
          known: ['src/app.ts'],
          steps: [{ write: 'src/app.ts', text: appText.replace('start', 'begin') }, { post: sed }],
          ai: [],
        },
      ];
    };
    const aiLines = (files: Record<string, { segments: { start: number; end: number }[] }>): string[] =>
      Object.entries(files)
        .flatMap(([p, f]) => f.segments.map(s => `${p}:${s.start}-${s.end}`))
        .sort();

    for (const [i, name] of flows('').map((f, n) => [n, f.name] as const)) {
      it(`replays to what the CLI gives: ${name}`, () => {
        const repo = new AgentRepo();
        try {
          const flow = flows(repo.dir)[i]!;
          const trace: object[] = [{ t: 'header', v: 1, root: repo.dir }];
          for (const p of flow.known ?? []) {
            trace.push(
              { t: 'open', path: p, text: fs.readFileSync(path.join(repo.dir, p), 'utf8') },
              { t: 'close', path: p },
            );
          }
          for (const step of flow.steps) {
            if ('write' in step) {
              repo.write(step.write, step.text);
              trace.push({ t: 'disk', path: step.write, text: step.text });
            } else {
              const [event, body] = 'pre' in step ? ['PreToolUse', step.pre] : ['PostToolUse', step.post];
              const input = payload(repo, event, body);
              const spooled = new Set(repo.spooled());
              repo.hook('claude-code', input);
              if (!flow.records) trace.push({ t: 'agent', agent: 'claude-code', payload: JSON.parse(input) as object });
              for (const name of repo.spooled().filter(n => flow.records && !spooled.has(n))) {
                const { record } = JSON.parse(
                  fs.readFileSync(path.join(repo.dir, '.git', 'ai-provenance', 'spool', name), 'utf8'),
                ) as { record: { at: string; call: object; files: object[] } };
                trace.push({ t: 'agent-call', at: record.at, call: record.call, files: record.files });
              }
            }
          }
          const status = repo.status();
          assert.deepEqual(status.ingested.problems, []);
          const cli = aiLines(Object.fromEntries(status.worktree.files.map(f => [f.path, f])));
          const file = path.join(repo.home, 'flow.jsonl');
          fs.writeFileSync(file, trace.map(e => JSON.stringify(e)).join('\n') + '\n');
          const replayed = runCli(['replay', file]);
          assert.equal(replayed.status, 0, replayed.stderr);
          const files = (JSON.parse(replayed.stdout) as { files: Record<string, FileSummaryLike> }).files;
          for (const [p, f] of Object.entries(files)) {
            const lines = fs.readFileSync(path.join(repo.dir, p), 'utf8').split('\n').length - 1;
            assert.equal(f.lines.length, lines, `the replay's ${p} is not the file on disk (an edit applied twice?)`);
          }
          const replay = aiLines(files);
          assert.deepEqual(cli, flow.ai, 'the CLI');
          assert.deepEqual(replay, flow.ai, 'the replay');
        } finally {
          repo.dispose();
        }
      });
    }

    for (const name of ['agent-claude-session', 'agent-after-disk']) {
      it(`replays ${name}.jsonl through the CLI to its expected output`, () => {
        const r = runCli(['replay', path.join(traces, `${name}.jsonl`)]);
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(
          JSON.parse(r.stdout),
          JSON.parse(fs.readFileSync(path.join(traces, `${name}.expected.json`), 'utf8')),
        );
      });
    }
  });
});
