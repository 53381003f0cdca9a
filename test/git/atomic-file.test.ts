import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StateStoreError, writeFileAtomic, writeFileAtomicSync } from '../../src/io/store/atomic-file';

/** The one atomic write (src/io/store/atomic-file.ts), used by the store, the spool, hook files and agents' configs. */
describe('atomic write', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-atomic-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const modeOf = (file: string): number => fs.statSync(file).mode & 0o7777;
  const leftovers = (): string[] => fs.readdirSync(dir).filter(n => n.endsWith('.tmp'));

  for (const [name, write] of [
    ['async', writeFileAtomic],
    ['sync', async (...args: Parameters<typeof writeFileAtomicSync>) => writeFileAtomicSync(...args)],
  ] as const) {
    it(`${name}: writes bytes exactly, text as UTF-8, private by default`, async () => {
      const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x80]);
      await write(path.join(dir, 'bytes'), bytes);
      assert.deepEqual(fs.readFileSync(path.join(dir, 'bytes')), bytes);
      await write(path.join(dir, 'text'), 'é\n', { durable: true });
      assert.deepEqual([...fs.readFileSync(path.join(dir, 'text'))], [0xc3, 0xa9, 0x0a]);
      assert.equal(modeOf(path.join(dir, 'text')), 0o600);
      assert.deepEqual(leftovers(), []);
    });

    it(`${name}: gives the exact mode asked whatever the umask, or keeps the replaced file's`, async () => {
      const hook = path.join(dir, 'pre-commit');
      const old = process.umask(0o077);
      try {
        await write(hook, '#!/bin/sh\n', { mode: 0o755 });
      } finally {
        process.umask(old);
      }
      assert.equal(modeOf(hook), 0o755);
      fs.chmodSync(hook, 0o750);
      await write(hook, '#!/bin/sh\nexit 0\n', { mode: 0o755, keepMode: true });
      assert.equal(modeOf(hook), 0o750, 'a hook someone made 0750 stays 0750');
      assert.equal(fs.readFileSync(hook, 'utf8'), '#!/bin/sh\nexit 0\n');
    });

    it(`${name}: a failed write leaves the old file and no temporary file, and says which file`, async () => {
      const target = path.join(dir, 'target');
      fs.mkdirSync(target); // rename over a folder fails
      fs.writeFileSync(path.join(target, 'inside'), 'kept');
      await assert.rejects(
        Promise.resolve().then(() => write(target, 'new')),
        (error: unknown) => error instanceof StateStoreError && error.message.startsWith(`could not write ${target}:`),
      );
      assert.equal(fs.readFileSync(path.join(target, 'inside'), 'utf8'), 'kept');
      assert.deepEqual(leftovers(), []);
    });
  }
});
