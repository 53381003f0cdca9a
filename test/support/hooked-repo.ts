import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nullLogger } from '../../src/core/log';
import { HUMAN, type AiOrigin, type Run } from '../../src/core/attribution/origin';
import { firstRecord } from '../../src/core/formats/git-note';
import { encodeRuns } from '../../src/core/formats/stored-runs';
import { openRunsStore } from '../../src/io/attribution/runs-store';
import { locateRepository } from '../../src/io/git/repository';
import { runCli, TempRepo } from './git-fixture';

export const claude: AiOrigin = {
  id: '11111111-1111-4111-8111-111111111111',
  tool: 'claude-code',
  kind: 'agent',
  model: 'claude-sonnet-4-5',
  at: '2026-11-01T10:00:00.000Z',
};
export const copilot: AiOrigin = {
  id: '22222222-2222-4222-8222-222222222222',
  tool: 'copilot',
  kind: 'inline',
  at: '2026-11-01T10:05:00.000Z',
};

/** A repository with our hooks installed, and helpers to record what the editor would have recorded. */
export class HookedRepo extends TempRepo {
  readonly home = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-home-'));
  readonly env = { AI_PROVENANCE_HOME: this.home };

  install(): void {
    const r = runCli(['hooks', 'install'], { cwd: this.dir, env: this.env });
    assert.equal(r.status, 0, r.stderr);
  }

  /** Records `runs` as the attribution of `text` at `file`, as the extension does on save, and writes the file. */
  async track(file: string, text: string, runs: Run[]): Promise<void> {
    this.write(file, text);
    const store = openRunsStore(await locateRepository(this.dir), nullLogger);
    await store.writeRuns(file, text, encodeRuns(runs));
  }

  /** git commit with the hooks, the environment the launcher needs, and extra arguments. */
  commit(...args: string[]): string {
    this.gitEnv(this.env, 'commit', '-q', ...args);
    return this.git('log', '-1', '--format=%B');
  }

  /** Stages everything in the work tree and commits it with the hooks (commitAll commits without them). */
  addAndCommit(message: string): string {
    this.git('add', '-A');
    return this.commit('-m', message);
  }

  gitEnv(env: Record<string, string>, ...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** git with the hooks' environment, for a command expected to fail (a conflict): its exit status. */
  gitEnvStatus(env: Record<string, string>, ...args: string[]): number | null {
    return spawnSync('git', args, { cwd: this.dir, encoding: 'utf8', env: { ...process.env, ...env } }).status;
  }

  note(rev = 'HEAD'): string | undefined {
    try {
      return this.git('notes', '--ref', 'refs/notes/ai-provenance', 'show', rev);
    } catch {
      return undefined;
    }
  }

  /** The first record of a commit's note as `path:start-end:type` rows (after a rebase git appends the old record). */
  noteLines(rev = 'HEAD'): string[] {
    const note = this.note(rev);
    if (!note) return [];
    const record = JSON.parse(firstRecord(note)) as {
      files: {
        path: string;
        conversations: { contributor: { type: string }; ranges: { start_line: number; end_line: number }[] }[];
      }[];
    };
    return record.files.flatMap(f =>
      f.conversations.flatMap(c => c.ranges.map(x => `${f.path}:${x.start_line}-${x.end_line}:${c.contributor.type}`)),
    );
  }

  override dispose(): void {
    super.dispose();
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

export const human = (text: string): Run => ({ length: text.length, origin: HUMAN });
export const ai = (text: string, origin: AiOrigin): Run => ({ length: text.length, origin });

/**
 * For a mocha suite: a fresh repository per test, with one commit and our hooks installed, disposed after.
 * Returns a getter, since the repository is made in beforeEach.
 */
export function hookedRepoPerTest(): () => HookedRepo {
  let repo: HookedRepo | undefined;
  beforeEach(() => {
    repo = new HookedRepo();
    repo.write('README.md', '# project\n');
    repo.commitAll('initial');
    repo.install();
  });
  afterEach(() => repo?.dispose());
  return () => repo!;
}
