import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, TempRepo, type CliResult } from './git-fixture';

/**
 * Sign-off fixtures: real ed25519 keys made by ssh-keygen, real commits, real SSH signatures made by git
 * (`gpg.format=ssh`). Nothing is mocked: the CLI verifies with ssh-keygen exactly as in CI.
 */

export interface Person {
  name: string;
  email: string;
  /** Private key file; the public key is `${key}.pub`. */
  key: string;
  publicKey: string;
}

let keyDir: string | undefined;
const keys = new Map<string, Person>();

/** A person with an SSH key (created once per test run, reused). */
export function person(name: string, email: string): Person {
  const known = keys.get(email);
  if (known) return known;
  keyDir ??= fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-keys-')));
  const key = path.join(keyDir, email.replace(/[^a-z0-9]/gi, '_'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key, '-C', email], { stdio: 'ignore' });
  const publicKey = fs.readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const p = { name, email, key, publicKey };
  keys.set(email, p);
  return p;
}

export function disposeKeys(): void {
  if (keyDir) fs.rmSync(keyDir, { recursive: true, force: true });
  keyDir = undefined;
  keys.clear();
}

export const junior = (): Person => person('Jun Ior', 'junior@example.com');
export const senior = (): Person => person('Sen Ior', 'senior@example.com');
export const senior2 = (): Person => person('Second Senior', 'senior2@example.com');
export const outsider = (): Person => person('Out Sider', 'outsider@example.com');

/** `git -c` options that make `p` the author, committer and (with gpg.format=ssh) signer. */
export function as(p: Person): string[] {
  return [
    '-c',
    `user.name=${p.name}`,
    '-c',
    `user.email=${p.email}`,
    '-c',
    'gpg.format=ssh',
    '-c',
    `user.signingkey=${p.key}.pub`,
  ];
}

/** The same identity for a spawned CLI, through GIT_CONFIG_* (git's own environment config). */
export function envAs(p: Person, override: Record<string, string> = {}): NodeJS.ProcessEnv {
  const settings: Record<string, string> = {
    'user.name': p.name,
    'user.email': p.email,
    'gpg.format': 'ssh',
    'user.signingkey': `${p.key}.pub`,
    ...override,
  };
  const pairs = Object.entries(settings);
  const env: NodeJS.ProcessEnv = { GIT_CONFIG_COUNT: String(pairs.length) };
  pairs.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = k;
    env[`GIT_CONFIG_VALUE_${i}`] = v;
  });
  return env;
}

export function attribution(ai: number, mixed = 0, added = ai + mixed): string {
  const tools = ai + mixed > 0 ? `copilot/inline:${ai + mixed}` : '';
  return `AI-Attribution: v1 added=${added} ai=${ai} mixed=${mixed} unknown=0 tools=${tools}`;
}

/** A line-level note as the post-commit hook writes it: lines start..end of `file` are AI (copilot, inline). */
export function agentTraceNote(commit: string, file: string, start: number, end: number): string {
  return JSON.stringify({
    version: '0.1.0',
    id: '00000000-0000-4000-8000-000000000000',
    timestamp: '2026-11-24T00:00:00.000Z',
    vcs: { type: 'git', revision: commit },
    tool: { name: 'ai-provenance', version: '0.1.0' },
    files: [
      { path: file, conversations: [{ contributor: { type: 'ai' }, ranges: [{ start_line: start, end_line: end }] }] },
    ],
    metadata: {
      'dev.ai-provenance': {
        attribution: `v1 added=${end - start + 1} ai=${end - start + 1} mixed=0 unknown=0 tools=copilot/inline:${end - start + 1}`,
        files: [{ path: file, conversations: [{ tool: 'copilot', kind: 'inline' }] }],
      },
    },
  });
}

export function rosterLine(...people: Person[]): string {
  return people.map(p => `${p.email} ${p.publicKey}`).join('\n') + '\n';
}

/** A repository whose `main` holds a roster and (optionally) a policy, with a `feature` branch checked out. */
export class SignoffRepo extends TempRepo {
  constructor(options: { seniors?: Person[]; policy?: unknown; roster?: string | null } = {}) {
    super('ai-provenance-signoff-');
    this.write('README.md', '# demo\n');
    if (options.roster !== null)
      this.write('.ai-provenance/allowed_signers', options.roster ?? rosterLine(...(options.seniors ?? [senior()])));
    if (options.policy !== undefined) {
      this.write(
        '.ai-provenance/policy.json',
        typeof options.policy === 'string' ? options.policy : JSON.stringify(options.policy, null, 2),
      );
    }
    this.commitAll('base: roster and policy');
    this.git('checkout', '-q', '-b', 'feature');
  }

  /** Runs git with input and extra config, returns stdout. */
  run(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      input: options.input ?? '',
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  /** Commits the working tree as `who` with `message` exactly (optionally SSH-signed by them). */
  commitAs(
    who: Person,
    message: string,
    options: { sign?: boolean; allowEmpty?: boolean; files?: Record<string, string> } = {},
  ): string {
    for (const [file, content] of Object.entries(options.files ?? {})) this.write(file, content);
    this.git('add', '-A');
    this.run(
      [
        ...as(who),
        'commit',
        '-q',
        '--cleanup=verbatim',
        ...(options.allowEmpty ? ['--allow-empty'] : []),
        options.sign ? '-S' : '--no-gpg-sign',
        '-F',
        '-',
      ],
      {
        input: message,
      },
    );
    return this.head();
  }

  /** An AI-assisted commit by `who` writing `lines` AI lines into `file`. */
  aiCommit(who: Person, file: string, lines: number, subject = `feat: ${file}`, extra = ''): string {
    const body = Array.from(
      { length: lines },
      (_, i) => `ai line ${i} of ${file} ${Math.random().toString(36).slice(2)}`,
    ).join('\n');
    return this.commitAs(
      who,
      `${subject}\n\n${extra ? `${extra}\n\n` : ''}${attribution(lines)}\nAssisted-by: Copilot:gpt-4.1\n`,
      { files: { [file]: `${body}\n` } },
    );
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }

  patchId(commit: string): string {
    const patch = execFileSync(
      'git',
      ['log', '-p', '--full-index', '--no-renames', '--format=commit %H', '-1', commit],
      { cwd: this.dir },
    );
    return execFileSync('git', ['patch-id', '--verbatim'], { cwd: this.dir, input: patch, encoding: 'utf8' }).split(
      ' ',
    )[0]!;
  }

  /** A sign-off message as the CLI writes it. */
  signoffMessage(reviewer: Person, commits: string[], options: { reviewedBy?: string } = {}): string {
    const entries = commits.map(c => `AI-Signoff: ${this.patchId(c)} ${c}`);
    const n = commits.length;
    return `AI sign-off: ${n} ${n === 1 ? 'commit' : 'commits'}\n\nReviewed-by: ${options.reviewedBy ?? `${reviewer.name} <${reviewer.email}>`}\n${entries.join('\n')}\n`;
  }

  /** A sign-off commit made by hand (git commit -S with `signer`'s key, or unsigned). */
  manualSignoff(signer: Person, commits: string[], options: { sign?: boolean; reviewedBy?: string } = {}): string {
    return this.commitAs(signer, this.signoffMessage(signer, commits, options), {
      sign: options.sign ?? true,
      allowEmpty: true,
    });
  }

  cli(args: string[], options: { as?: Person; env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
    return runCli(['-C', this.dir, ...args], {
      env: { ...(options.as ? envAs(options.as) : {}), ...options.env },
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
  }

  check(...extra: string[]): CliResult {
    return this.cli(['check', '--base', 'main', ...extra]);
  }

  signOff(who: Person, ...extra: string[]): CliResult {
    return this.cli(['sign-off', '--base', 'main', '--yes', ...extra], { as: who });
  }
}

/** A readable assertion message for a CLI result. */
export function show(r: CliResult): string {
  return `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/**
 * For a mocha suite: a factory of repositories, each disposed after its test; the keys are disposed after the
 * suite.
 */
export function signoffReposPerTest(): (options?: ConstructorParameters<typeof SignoffRepo>[0]) => SignoffRepo {
  const repos: SignoffRepo[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.dispose();
  });
  after(disposeKeys);
  return options => {
    const r = new SignoffRepo(options);
    repos.push(r);
    return r;
  };
}
