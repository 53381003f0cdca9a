import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSshSignature, verifyEd25519 } from '../../src/io/ssh/sshsig';

/** The in-process Ed25519 path must agree with ssh-keygen on every signature it accepts, and accept nothing it refuses. */
describe('SSH signatures verified in-process against ssh-keygen', function () {
  this.timeout(60000);
  let dir: string;
  const sign = (key: string, message: Buffer, namespace = 'git'): string => {
    const file = path.join(dir, `msg-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(file, message);
    execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-f', key, '-n', namespace, file], { stdio: 'pipe' });
    return fs.readFileSync(`${file}.sig`, 'utf8');
  };
  const sshKeygenSays = (pubKey: string, signature: string, message: Buffer, namespace = 'git'): boolean => {
    const allowed = path.join(dir, 'allowed');
    fs.writeFileSync(
      allowed,
      `someone@example.invalid ${fs.readFileSync(`${pubKey}`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`,
    );
    const sigFile = path.join(dir, 'sig');
    fs.writeFileSync(sigFile, signature);
    return (
      spawnSync(
        'ssh-keygen',
        ['-Y', 'verify', '-f', allowed, '-I', 'someone@example.invalid', '-n', namespace, '-s', sigFile],
        { input: message },
      ).status === 0
    );
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-sshsig-'));
    for (const name of ['a', 'b'])
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, name)]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', path.join(dir, 'ec')]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts exactly what ssh-keygen accepts, over many messages', () => {
    for (let i = 0; i < 25; i++) {
      const message = Buffer.from(`tree ${i}\nauthor x\n\nAI sign-off: ${i} commits\n${'x'.repeat(i * 37)}\n`);
      const signature = sign(path.join(dir, 'a'), message);
      const sig = parseSshSignature(signature)!;
      assert.ok(sig, 'unparsed');
      assert.equal(sig.publicKey, fs.readFileSync(path.join(dir, 'a.pub'), 'utf8').split(' ')[1]);
      assert.equal(verifyEd25519(sig, message, 'git'), true);
      assert.equal(sshKeygenSays(path.join(dir, 'a.pub'), signature, message), true);
      // One flipped byte of the message: both refuse.
      const tampered = Buffer.from(message);
      const at = i % tampered.length;
      tampered.writeUInt8(tampered.readUInt8(at) ^ 1, at);
      assert.equal(verifyEd25519(sig, tampered, 'git'), false);
      assert.equal(sshKeygenSays(path.join(dir, 'a.pub'), signature, tampered), false);
    }
  });

  it('refuses another namespace, a signature grafted onto another key, and keys it does not handle', () => {
    const message = Buffer.from('payload\n');
    const fileSig = sign(path.join(dir, 'a'), message, 'file');
    assert.equal(verifyEd25519(parseSshSignature(fileSig)!, message, 'git'), false);
    assert.equal(sshKeygenSays(path.join(dir, 'a.pub'), fileSig, message), false);
    // Claim key b made a's signature: the key inside the blob is b's, the signature a's.
    const sig = parseSshSignature(sign(path.join(dir, 'a'), message))!;
    const grafted = { ...sig, publicKey: fs.readFileSync(path.join(dir, 'b.pub'), 'utf8').split(' ')[1]! };
    assert.equal(verifyEd25519(grafted, message, 'git'), false);
    const ec = parseSshSignature(sign(path.join(dir, 'ec'), message));
    assert.ok(ec);
    assert.equal(verifyEd25519(ec!, message, 'git'), false, 'non-Ed25519 keys are left to ssh-keygen');
  });

  it('leaves every re-armored variant to ssh-keygen: never verified here what ssh-keygen refuses', () => {
    const message = Buffer.from('tree 1\n\nAI sign-off: 1 commit\n');
    const genuine = sign(path.join(dir, 'a'), message);
    const body = genuine.split('\n').slice(1, -2);
    const variants: Record<string, string> = {
      genuine,
      crlf: genuine.replace(/\n/g, '\r\n'),
      'one long line': `-----BEGIN SSH SIGNATURE-----\n${body.join('')}\n-----END SSH SIGNATURE-----\n`,
      'no final newline': genuine.replace(/\n$/, ''),
      'leading space': ` ${genuine}`,
      'text before': `hello\n${genuine}`,
      'spaces in base64': genuine.replace(/\n(?!-)/, ' \n'),
      'blank line inside': genuine.replace('-----\n', '-----\n\n'),
    };
    for (const [name, armored] of Object.entries(variants)) {
      const parsed = parseSshSignature(armored);
      const here = parsed !== undefined && verifyEd25519(parsed, message, 'git');
      const keygen = sshKeygenSays(path.join(dir, 'a.pub'), armored, message);
      // The fast path may say "verified" only where ssh-keygen does; saying less just asks ssh-keygen.
      assert.ok(!here || keygen, `${name}: verified in-process but ssh-keygen refuses it`);
    }
    assert.equal(verifyEd25519(parseSshSignature(genuine)!, message, 'git'), true, 'the genuine one stays fast');
  });

  it('does not parse what is not an armored SSHSIG', () => {
    assert.equal(parseSshSignature('-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----'), undefined);
    assert.equal(parseSshSignature('-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----'), undefined);
    assert.equal(parseSshSignature(''), undefined);
  });
});
