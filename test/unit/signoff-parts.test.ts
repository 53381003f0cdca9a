import * as assert from 'node:assert/strict';
import { splitSignedCommit } from '../../src/io/review/signatures';
import { keyFingerprint, parsePublicKey } from '../../src/io/ssh/ssh';

const HEAD =
  'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent 1111111111111111111111111111111111111111\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n';
const SIG = '-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n';
const signed = (header: string, sig: string): string => `${header} ${sig.replace(/\n$/, '').split('\n').join('\n ')}\n`;

describe('splitting a signed commit the way git verifies it', () => {
  it('takes the gpgsig header out of the payload and joins its lines', () => {
    const raw = Buffer.from(
      `${HEAD}${signed('gpgsig', SIG)}\nAI sign-off: 1 commit\n\n gpgsig lookalike in the body stays\n`,
    );
    const { payload, signature } = splitSignedCommit(raw, 'sha1');
    assert.equal(signature, SIG);
    assert.equal(payload.toString(), `${HEAD}\nAI sign-off: 1 commit\n\n gpgsig lookalike in the body stays\n`);
  });

  it('drops the other object format’s signature header from the payload, and keeps mergetag and unknown headers', () => {
    const raw = Buffer.from(
      `${HEAD}mergetag object 1\n type commit\n${signed('gpgsig-sha256', SIG)}${signed('gpgsig', SIG)}x-extra value\n\nmsg\n`,
    );
    const sha1 = splitSignedCommit(raw, 'sha1');
    assert.equal(sha1.signature, SIG);
    assert.equal(sha1.payload.toString(), `${HEAD}mergetag object 1\n type commit\nx-extra value\n\nmsg\n`);
    const sha256 = splitSignedCommit(raw, 'sha256');
    assert.equal(sha256.signature, SIG);
    assert.equal(sha256.payload.toString(), `${HEAD}mergetag object 1\n type commit\nx-extra value\n\nmsg\n`);
  });

  it('keeps every byte of the message, valid UTF-8 or not', () => {
    const message = Buffer.from([0x6d, 0xff, 0x00, 0x0d, 0x0a]);
    const raw = Buffer.concat([Buffer.from(`${HEAD}\n`), message]);
    const { payload, signature } = splitSignedCommit(raw, 'sha1');
    assert.equal(signature, undefined);
    assert.ok(payload.equals(raw));
  });
});

describe('ssh key helpers', () => {
  it('parses public keys and fingerprints them as ssh-keygen does', () => {
    const key = parsePublicKey(
      'key::ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINJpAH/bBua0cBhqo3rFQuuDxwq9ojUZLjYr32OcBST5 me@x\n',
    );
    assert.deepEqual(key, {
      keyType: 'ssh-ed25519',
      key: 'AAAAC3NzaC1lZDI1NTE5AAAAINJpAH/bBua0cBhqo3rFQuuDxwq9ojUZLjYr32OcBST5',
      comment: 'me@x',
    });
    assert.match(keyFingerprint(key!.key), /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(parsePublicKey('ssh-ed25519 notbase64'), undefined);
    assert.equal(parsePublicKey('/home/me/.ssh/id_ed25519.pub'), undefined);
  });
});
