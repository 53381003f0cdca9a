import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { KEY_TYPES, keyBlobProblem } from '../../core/review/roster';
import { ENVIRONMENT_EXIT } from '../../core/errors';
import { ProcessError, runProcess } from '../process/run';

/**
 * The one place that runs ssh-keygen (OpenSSH 8.2 or later: `-Y verify`, `-Y check-novalidate`): argument arrays,
 * never a shell, a fixed locale, payloads on stdin. Sign-offs are verified here against the roster file the caller
 * wrote from the BASE revision, never against the user's `gpg.ssh.allowedSignersFile`.
 */

/** ssh-keygen could not run, or timed out. */
export class SshKeygenError extends Error {
  readonly cliExitCode = ENVIRONMENT_EXIT;
  override readonly name = 'SshKeygenError';
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

export interface SshResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface SshRunOptions {
  input?: string | Buffer | undefined;
  timeoutMs?: number | undefined;
  logger?: Logger | undefined;
}

export async function runSshKeygen(args: readonly string[], options: SshRunOptions = {}): Promise<SshResult> {
  try {
    // Every exit code is an answer (verify says "bad signature" with 255); stdin is written EPIPE-safe by the runner.
    return await runProcess('ssh-keygen', args, {
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      input: options.input ?? '',
      okExitCodes: 'any',
      timeoutMs: options.timeoutMs ?? 30_000,
      maxBuffer: 16 * 1024 * 1024,
      logger: options.logger,
    });
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    throw new SshKeygenError(
      error.reason === 'not-found'
        ? 'ssh-keygen was not found: install OpenSSH 8.2 or later (sign-offs are SSH signatures) and make sure it is on PATH'
        : `ssh-keygen ${args.join(' ')} failed: ${error.timedOut ? 'timed out' : error.message}`,
      error,
    );
  }
}

/** `SHA256:<base64, no padding>` of a public key blob, as ssh-keygen prints it. */
export function keyFingerprint(base64Key: string): string {
  const digest = createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

export interface PublicKey {
  keyType: string;
  key: string;
  comment?: string;
}

/** Parses `keytype base64 [comment]` (an id_*.pub file or a `key::` literal); undefined when it is not one. */
export function parsePublicKey(text: string): PublicKey | undefined {
  const line = text
    .replace(/^key::/, '')
    .trim()
    .split('\n')[0]!
    .trim();
  const [keyType, key, ...rest] = line.split(/\s+/);
  if (!keyType || !key || !(KEY_TYPES as readonly string[]).includes(keyType)) return undefined;
  if (keyBlobProblem(keyType, key)) return undefined;
  const comment = rest.join(' ');
  return { keyType, key, ...(comment ? { comment } : {}) };
}

/**
 * The public key named by git's `user.signingkey` for `gpg.format=ssh`: a `key::` literal, a literal public key, a
 * `.pub` file, or a private key file (its `.pub` beside it, else `ssh-keygen -y` with an empty passphrase).
 */
export async function resolveSigningKey(
  signingKey: string,
  cwd: string,
  logger?: Logger,
): Promise<PublicKey | { problem: string }> {
  const literal = parsePublicKey(signingKey);
  if (literal) return literal;
  if (signingKey.startsWith('key::'))
    return { problem: `user.signingkey holds "${signingKey.slice(0, 40)}…", which is not an SSH public key` };
  const file = path.resolve(cwd, signingKey.replace(/^~(?=$|[\\/])/, os.homedir()));
  const candidates = file.endsWith('.pub') ? [file] : [`${file}.pub`, file];
  for (const candidate of candidates) {
    let text: string;
    try {
      text = await fsp.readFile(candidate, 'utf8');
    } catch {
      continue;
    }
    const key = parsePublicKey(text);
    if (key) return key;
  }
  if (!file.endsWith('.pub')) {
    const derived = await runSshKeygen(['-y', '-P', '', '-f', file], { logger, timeoutMs: 10_000 });
    const key = derived.exitCode === 0 ? parsePublicKey(derived.stdout) : undefined;
    if (key) return key;
  }
  return {
    problem: `user.signingkey names ${file}, which is not a readable SSH public key (or a private key with its .pub beside it)`,
  };
}

export type VerifyOutcome =
  { ok: true; fingerprint?: string } | { ok: false; signatureValid: boolean; fingerprint?: string; detail: string };

const FINGERPRINT = /\bkey (SHA256:[A-Za-z0-9+/]+)/;

/**
 * Verifies an SSH signature (namespace `git`) over `payload` for `principal` against `allowedSignersFile`. On
 * failure, says whether the signature itself is sound (then the roster does not allow that key for that principal)
 * or not (tampered payload or garbage signature).
 */
export async function verifySshSignature(input: {
  allowedSignersFile: string;
  principal: string;
  signatureFile: string;
  payload: Buffer;
  namespace?: string;
  logger?: Logger;
}): Promise<VerifyOutcome> {
  const namespace = input.namespace ?? 'git';
  const verified = await runSshKeygen(
    ['-Y', 'verify', '-f', input.allowedSignersFile, '-I', input.principal, '-n', namespace, '-s', input.signatureFile],
    { input: input.payload, logger: input.logger },
  );
  if (verified.exitCode === 0) {
    const fingerprint = FINGERPRINT.exec(verified.stdout + verified.stderr)?.[1];
    return { ok: true, ...(fingerprint ? { fingerprint } : {}) };
  }
  const alone = await runSshKeygen(['-Y', 'check-novalidate', '-n', namespace, '-s', input.signatureFile], {
    input: input.payload,
    logger: input.logger,
  });
  const detail = (verified.stderr || verified.stdout).trim().split('\n').filter(Boolean).slice(-2).join(' / ');
  const fingerprint = alone.exitCode === 0 ? FINGERPRINT.exec(alone.stdout + alone.stderr)?.[1] : undefined;
  return { ok: false, signatureValid: alone.exitCode === 0, ...(fingerprint ? { fingerprint } : {}), detail };
}
