import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * OpenSSH signatures (the SSHSIG format of OpenSSH's PROTOCOL.sshsig), verified in-process for the common case:
 * an ssh-ed25519 key. `ssh-keygen -Y verify` costs a process per signature (about 6 ms each, most of a CI check
 * over many sign-offs); Node's crypto verifies the same Ed25519 signature in microseconds. This path may only
 * ever say "verified": anything it does not fully understand, and every failure, is decided by ssh-keygen.
 *
 *   blob:        "SSHSIG" uint32(1) string(publickey) string(namespace) string(reserved) string(hash) string(signature)
 *   signed data: "SSHSIG" string(namespace) string(reserved) string(hash) string(H(message))
 */

const MAGIC = Buffer.from('SSHSIG');

export interface SshSignature {
  /** The signing key blob, base64: what an allowed_signers line holds. */
  publicKey: string;
  publicKeyType: string;
  namespace: string;
  reserved: Buffer;
  hashAlgorithm: string;
  signatureType: string;
  signature: Buffer;
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new RangeError('truncated');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  uint32(): number {
    return this.bytes(4).readUInt32BE(0);
  }
  string(): Buffer {
    return this.bytes(this.uint32());
  }
  get done(): boolean {
    return this.pos === this.buf.length;
  }
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  return Buffer.concat([len, body]);
}

/** Parses an armored SSH signature; undefined when it is not one this code reads exactly. */
export function parseSshSignature(armored: string): SshSignature | undefined {
  // Only the armor ssh-keygen itself reads: LF line ends, base64 lines, nothing around the markers but line ends.
  // Anything looser (CRLF, spaces, text before the marker) is left to ssh-keygen, which refuses what it refuses: this
  // path may only ever agree with it.
  const m = /^-----BEGIN SSH SIGNATURE-----\n([A-Za-z0-9+/=\n]+)-----END SSH SIGNATURE-----\n?$/.exec(armored);
  if (!m) return undefined;
  try {
    const r = new Reader(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
    if (!r.bytes(6).equals(MAGIC) || r.uint32() !== 1) return undefined;
    const publicKey = r.string();
    const namespace = r.string().toString('utf8');
    const reserved = r.string();
    const hashAlgorithm = r.string().toString('utf8');
    const sigBlob = new Reader(r.string());
    if (!r.done) return undefined;
    const signatureType = sigBlob.string().toString('utf8');
    const signature = sigBlob.string();
    if (!sigBlob.done) return undefined;
    const keyType = new Reader(publicKey).string().toString('utf8');
    return {
      publicKey: publicKey.toString('base64'),
      publicKeyType: keyType,
      namespace,
      reserved,
      hashAlgorithm,
      signatureType,
      signature,
    };
  } catch {
    return undefined;
  }
}

/**
 * True only when `sig` is an ssh-ed25519 SSHSIG over `message` in `namespace`, made by its own key. (Who that key
 * belongs to is the caller's roster question.) False means "not shown here": ask ssh-keygen.
 */
export function verifyEd25519(sig: SshSignature, message: Buffer, namespace: string): boolean {
  if (sig.publicKeyType !== 'ssh-ed25519' || sig.signatureType !== 'ssh-ed25519' || sig.namespace !== namespace)
    return false;
  if (sig.reserved.length !== 0 || (sig.hashAlgorithm !== 'sha512' && sig.hashAlgorithm !== 'sha256')) return false;
  if (sig.signature.length !== 64) return false;
  const key = new Reader(Buffer.from(sig.publicKey, 'base64'));
  let raw: Buffer;
  try {
    key.string();
    raw = key.string();
    if (!key.done || raw.length !== 32) return false;
  } catch {
    return false;
  }
  const digest = createHash(sig.hashAlgorithm).update(message).digest();
  const signed = Buffer.concat([
    MAGIC,
    sshString(namespace),
    sshString(sig.reserved),
    sshString(sig.hashAlgorithm),
    sshString(digest),
  ]);
  try {
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
    return verify(null, signed, publicKey, sig.signature);
  } catch {
    return false;
  }
}
