import { BasePolicy } from './base-policy';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { type SignatureCheck } from '../../core/review/review';
import { matchPrincipal, type Roster } from '../../core/review/roster';
import { git, runGit } from '../git/git';
import { pooled } from '../../core/pool';
import { keyFingerprint, verifySshSignature } from '../ssh/ssh';
import { parseSshSignature, verifyEd25519 } from '../ssh/sshsig';

/**
 * Signatures of sign-off commits: split from the raw commit objects and verified against the base's
 * allowed_signers, in-process for Ed25519 when it can say "verified", else with ssh-keygen.
 */

/** A commit object split the way git splits it to verify (commit.c, parse_buffer_signed_by_header). */
export function splitSignedCommit(
  raw: Buffer,
  objectFormat: 'sha1' | 'sha256',
): { payload: Buffer; signature?: string } {
  const header = objectFormat === 'sha256' ? 'gpgsig-sha256' : 'gpgsig';
  const payload: Buffer[] = [];
  const signature: Buffer[] = [];
  let inSignature = false;
  let otherSignature = false;
  let at = 0;
  while (at < raw.length) {
    const nl = raw.indexOf(0x0a, at);
    const next = nl < 0 ? raw.length : nl + 1;
    const line = raw.subarray(at, next);
    let sig: Buffer | undefined;
    if (inSignature && line[0] === 0x20) {
      sig = line.subarray(1);
    } else if (line.subarray(0, header.length + 1).toString('latin1') === `${header} `) {
      sig = line.subarray(header.length + 1);
      otherSignature = false;
    } else if (line.subarray(0, 6).toString('latin1') === 'gpgsig') {
      otherSignature = true;
    } else if (otherSignature && line[0] !== 0x20) {
      otherSignature = false;
    }
    if (sig) {
      signature.push(sig);
      inSignature = true;
      at = next;
      continue;
    }
    inSignature = false;
    if (line[0] === 0x0a) {
      payload.push(raw.subarray(at));
      break;
    }
    if (!otherSignature) payload.push(line);
    at = next;
  }
  return {
    payload: Buffer.concat(payload),
    ...(signature.length > 0 ? { signature: Buffer.concat(signature).toString('latin1') } : {}),
  };
}

/** Raw commit objects; undefined for one that cannot be had byte-exactly (not UTF-8: the git runner decodes text). */
async function rawCommits(
  root: string,
  ids: readonly string[],
  logger: Logger,
): Promise<Map<string, Buffer | undefined>> {
  const result = new Map<string, Buffer | undefined>();
  if (ids.length === 0) return result;
  const text = await git(['cat-file', '--batch'], { cwd: root, input: `${ids.join('\n')}\n`, logger });
  if (!text.includes('\uFFFD')) {
    const bytes = Buffer.from(`${text}\n`, 'utf8');
    let at = 0;
    for (const id of ids) {
      const nl = bytes.indexOf(0x0a, at);
      const head = bytes.subarray(at, nl).toString('latin1').split(' ');
      const size = Number(head[2]);
      if (head[0] !== id || head[1] !== 'commit' || !Number.isSafeInteger(size))
        throw new Error(`unexpected git cat-file output for ${id}`);
      result.set(id, bytes.subarray(nl + 1, nl + 1 + size));
      at = nl + 1 + size + 1;
    }
    return result;
  }
  // Some object is not UTF-8: ask for each alone so only that one is lost.
  await Promise.all(
    ids.map(async id => {
      const one = await runGit(['cat-file', 'commit', id], { cwd: root, logger });
      result.set(id, one.stdout.includes('\uFFFD') ? undefined : Buffer.from(one.stdout, 'utf8'));
    }),
  );
  return result;
}

/** The principals the roster lists for the key with this fingerprint (not certificate authorities). */
function principalsOfKey(roster: Roster, fingerprint: string): string[] {
  return [
    ...new Set(
      roster.entries.filter(e => !e.certAuthority && keyFingerprint(e.key) === fingerprint).flatMap(e => e.principals),
    ),
  ];
}

/**
 * The common case without a process: an ssh-ed25519 signature in namespace `git` that verifies, by a key whose
 * roster entry is a plain one (no certificate authority, validity window or namespace list) naming `principal`.
 * Returns the key's fingerprint, or undefined to let `ssh-keygen -Y verify` decide (it decides every refusal).
 */
function verifiedInProcess(armored: string, payload: Buffer, roster: Roster, principal: string): string | undefined {
  const sig = parseSshSignature(armored);
  if (!sig || !verifyEd25519(sig, payload, 'git')) return undefined;
  const plain = roster
    .entriesForKey(sig.publicKeyType, sig.publicKey)
    .filter(e => e.validAfter === undefined && e.validBefore === undefined && e.namespaces === undefined);
  // OpenSSH matches patterns byte by byte; ours by UTF-16 unit. They agree on ASCII only, so only ASCII is ours.
  const ascii = (t: string): boolean => /^[\x20-\x7e]*$/.test(t);
  if (!ascii(principal) || plain.some(e => !e.principals.every(ascii))) return undefined;
  return plain.some(e => matchPrincipal(e.principals, principal)) ? keyFingerprint(sig.publicKey) : undefined;
}

export async function checkSignatures(input: {
  root: string;
  candidates: readonly { id: string; reviewerEmail?: string; wellFormed: boolean }[];
  basePolicy: BasePolicy;
  objectFormat: 'sha1' | 'sha256';
  scratchDir: string;
  concurrency: number;
  logger: Logger;
  /**
   * Verify even when the policy does not require signatures (`requireSignature: false`): a commit's own signature
   * for senior-signed commits, which only a signature can prove.
   */
  alwaysVerify?: boolean;
  /** Prefix of the files written to scratchDir, so two checks can share it at once. */
  filePrefix?: string;
}): Promise<Map<string, SignatureCheck>> {
  const { basePolicy, logger } = input;
  const result = new Map<string, SignatureCheck>();
  const toVerify = input.candidates.filter(c => {
    if (!basePolicy.roster || basePolicy.roster.isEmpty || basePolicy.rosterText === undefined)
      result.set(c.id, { status: 'no-roster' });
    else if (!c.wellFormed || c.reviewerEmail === undefined) result.set(c.id, { status: 'not-checked' });
    else if (!basePolicy.policy.signoff.requireSignature && input.alwaysVerify !== true)
      result.set(c.id, { status: 'not-required' });
    else return true;
    return false;
  });
  if (toVerify.length === 0) return result;
  const prefix = input.filePrefix ?? '';
  const allowed = path.join(input.scratchDir, `${prefix}allowed_signers`);
  await fsp.writeFile(allowed, basePolicy.rosterText!, { mode: 0o600 });
  const raws = await rawCommits(
    input.root,
    toVerify.map(c => c.id),
    logger,
  );
  await pooled(toVerify, input.concurrency, async (c, i) => {
    const raw = raws.get(c.id);
    if (!raw) {
      result.set(c.id, { status: 'unreadable', detail: 'the commit object holds bytes that are not UTF-8' });
      return;
    }
    const { payload, signature } = splitSignedCommit(raw, input.objectFormat);
    if (signature === undefined) {
      result.set(c.id, { status: 'unsigned' });
      return;
    }
    if (!signature.startsWith('-----BEGIN SSH SIGNATURE-----')) {
      result.set(c.id, { status: 'not-ssh' });
      return;
    }
    const fast = verifiedInProcess(signature, payload, basePolicy.roster!, c.reviewerEmail!);
    if (fast) {
      result.set(c.id, {
        status: 'verified',
        principal: c.reviewerEmail!,
        fingerprint: fast,
        keyPrincipals: principalsOfKey(basePolicy.roster!, fast),
      });
      return;
    }
    const signatureFile = path.join(input.scratchDir, `${prefix}sig-${i}`);
    await fsp.writeFile(signatureFile, signature, { mode: 0o600 });
    const outcome = await verifySshSignature({
      allowedSignersFile: allowed,
      principal: c.reviewerEmail!,
      signatureFile,
      payload,
      logger,
    });
    if (outcome.ok) {
      const keyPrincipals = outcome.fingerprint ? principalsOfKey(basePolicy.roster!, outcome.fingerprint) : undefined;
      result.set(c.id, {
        status: 'verified',
        principal: c.reviewerEmail!,
        ...(outcome.fingerprint ? { fingerprint: outcome.fingerprint } : {}),
        ...(keyPrincipals ? { keyPrincipals } : {}),
      });
    } else if (outcome.signatureValid) {
      result.set(c.id, {
        status: 'unknown-signer',
        detail: outcome.detail,
        ...(outcome.fingerprint ? { fingerprint: outcome.fingerprint } : {}),
      });
    } else {
      result.set(c.id, { status: 'bad-signature', detail: outcome.detail });
    }
  });
  return result;
}
