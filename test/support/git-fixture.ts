import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root, from a compiled test file at out/test/<layer>/x.test.js. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const cliPath = path.join(repoRoot, 'dist', 'cli.js');

/** A real git repository in a temporary folder, with a committer identity of its own. */
export class TempRepo {
  readonly dir: string;

  constructor(prefix = 'ai-provenance-test-') {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.name', 'Test Developer');
    this.git('config', 'user.email', 'developer@example.invalid');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  write(relative: string, content: string | Buffer): string {
    const file = path.join(this.dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  }

  /** The values of a commit's trailer `key`, as git reads trailers. */
  trailers(key: string, rev = 'HEAD'): string[] {
    return this.git('log', '-1', `--format=%(trailers:key=${key},valueonly,separator=%x00)`, rev)
      .replace(/\n$/, '')
      .split('\0')
      .filter(Boolean);
  }

  commitAll(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the built CLI (dist/cli.js), as a script, hook or CI job would. */
export function runCli(
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? os.tmpdir(),
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
