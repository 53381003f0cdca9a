import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, TempRepo } from './git-fixture';

export interface StatusFile {
  path: string;
  added: number;
  ai: number;
  mixed: number;
  unknown: number;
  segments: { start: number; end: number; class: string; tool: string; kind: string; model?: string }[];
}

export interface AgentRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A repository with our git hooks, and a home of its own, for a real agent CLI: `setup` runs our CLI's commands
 * (the agent's hook install) the way a person would, after the first commit.
 */
export class AgentWorkspace extends TempRepo {
  readonly home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-agent-home-')));
  readonly env: Record<string, string> = {
    HOME: this.home,
    // Agents that follow the XDG folders (OpenCode) find their configuration and data in this home too.
    XDG_CONFIG_HOME: path.join(this.home, '.config'),
    XDG_DATA_HOME: path.join(this.home, '.local', 'share'),
    XDG_STATE_HOME: path.join(this.home, '.local', 'state'),
    AI_PROVENANCE_HOME: path.join(this.home, '.local', 'share', 'ai-provenance'),
  };

  constructor(files: Record<string, string>) {
    super('ai-provenance-agent-');
    for (const [name, text] of Object.entries(files)) this.write(name, text);
    this.commitAll('initial');
    this.cli(['hooks', 'install']);
  }

  /** Our CLI, as the person runs it here; asserts it succeeded and returns what it printed. */
  cli(args: string[], env: Record<string, string> = {}): string {
    const r = runCli(args, { cwd: this.dir, env: { ...this.env, ...env } });
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  /** Runs an agent CLI in the repository. Asynchronous: the model server answers from this process. */
  run(program: string, args: string[], env: Record<string, string>): Promise<AgentRun> {
    const child = spawn(program, args, {
      cwd: this.dir,
      // Agents in print mode read a piped standard input to its end: give them none.
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 120_000);
    return new Promise(resolve =>
      child.on('close', status => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      }),
    );
  }

  status(): StatusFile[] {
    const r = runCli(['status', '--json'], { cwd: this.dir, env: this.env });
    assert.equal(r.status, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as { ingested: { problems: string[] }; worktree: { files: StatusFile[] } };
    assert.deepEqual(parsed.ingested.problems, []);
    return parsed.worktree.files;
  }

  commit(message: string): void {
    this.git('add', '-A');
    const r = spawnSync('git', ['commit', '-q', '-m', message], {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, ...this.env },
    });
    assert.equal(r.status, 0, r.stderr);
  }

  override dispose(): void {
    super.dispose();
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}
