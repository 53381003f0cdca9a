// Local state (docs/local-state.md) against real git in temporary repositories, with real child processes for the
// crash and concurrency guarantees.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../src/core/log';
import type { ObjectFormat } from '../../src/core/formats/state-files';
import { runGit } from '../../src/io/git/git';
import { locateRepository, type RepositoryLocation } from '../../src/io/git/repository';
import { Spool, type SpoolEntry } from '../../src/io/store/spool';
import { withSeed } from '../support/seed';
import { STATE_LAYOUT } from '../../src/io/store/state-file';
import { StateStore, pathKey } from '../../src/io/store/state-store';
import { computeBlobId } from '../../src/io/store/blob-id';
import {
  BIG_PATH,
  COUNTER_FILE,
  DOC_FILE,
  bigText,
  digest,
  parseChildRecord,
  parseCounter,
  type BigDoc,
  type ChildRecord,
} from '../support/store-child';

const CHILD = path.resolve(__dirname, '../support/store-child.js');

/** Keeps every log line, so tests can assert the warning a person would see. */
class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string }[] = [];
  trace(): void {
    /* not interesting here */
  }
  debug(): void {
    /* not interesting here */
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string | Error): void {
    this.lines.push({ level: 'error', message: String(message) });
  }
  warnings(): string[] {
    return this.lines.filter(line => line.level === 'warn').map(line => line.message);
  }
}

async function newRepository(format: ObjectFormat = 'sha1'): Promise<RepositoryLocation> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-store-')));
  await runGit(['init', '-q', `--object-format=${format}`], { cwd: dir });
  return locateRepository(dir);
}

function gitHashObject(cwd: string, content: Buffer): Promise<string> {
  return runGit(['hash-object', '--stdin'], { cwd, input: content }).then(result => result.stdout.trim());
}

/** Every file under `dir`, relative, with `/` separators. */
function walk(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const rel = prefix + entry.name;
    return entry.isDirectory() ? walk(path.join(dir, entry.name), rel + '/') : [rel];
  });
}

function corruptFiles(location: RepositoryLocation): string[] {
  return walk(path.join(location.stateDir, STATE_LAYOUT.corrupt));
}

interface Child {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs the child helper; `onLine` may kill it. Resolves when it has exited and its output is read. */
function runChild(args: string[], onLine?: (line: string, kill: () => void) => void, durable = true): Promise<Child> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, STORE_CHILD_DURABLE: durable ? '1' : '0' };
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!onLine) return;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line, () => child.kill('SIGKILL'));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal }));
  });
}

function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(result.stdout);
}

describe('local state store (git/store, git/spool)', () => {
  const made: string[] = [];
  let location: RepositoryLocation;
  let logger: RecordingLogger;

  beforeEach(async () => {
    location = await newRepository();
    made.push(location.root);
    logger = new RecordingLogger();
  });

  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('blob ids', () => {
    const samples: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['ASCII with LF', Buffer.from('const a = 1;\nconst b = 2;\n')],
      ['CRLF line ends', Buffer.from('line one\r\nline two\r\n\r\nno final newline')],
      ['non-ASCII and non-BMP', Buffer.from('naïve café — 日本語 🎉 𝄞\n', 'utf8')],
      ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0d, 0x0a, 0x80])],
    ];

    for (const [name, bytes] of samples) {
      it(`equal git hash-object for ${name} content (sha1)`, async () => {
        const store = new StateStore(location, logger);
        assert.equal(await store.blobId(bytes), await gitHashObject(location.root, bytes));
        if (name !== 'bytes that are not UTF-8') {
          assert.equal(
            await store.blobId(bytes.toString('utf8')),
            await gitHashObject(location.root, bytes),
            'text is hashed as UTF-8',
          );
        }
      });
    }

    it('follow a sha256 repository', async function () {
      let sha256: RepositoryLocation;
      try {
        sha256 = await newRepository('sha256');
      } catch {
        this.skip(); // a git built without sha256 support
      }
      made.push(sha256.root);
      const store = new StateStore(sha256, logger);
      assert.equal(await store.objectFormat(), 'sha256');
      for (const [, bytes] of samples) {
        const id = await store.blobId(bytes);
        assert.equal(id.length, 64);
        assert.equal(id, await gitHashObject(sha256.root, bytes));
      }
      const record = await store.writeRuns('a.ts', 'x\r\ny', ['r']);
      assert.deepEqual((await store.readRunsForText('a.ts', 'x\r\ny'))?.runs, ['r']);
      assert.equal(record.blob.length, 64);
    });
  });

  describe('runs records', () => {
    it('round-trip keyed by the blob id of the text they describe', async () => {
      const store = new StateStore<{ length: number; origin: string }[]>(location, logger);
      const text = 'héllo\r\nwörld 🎉\n';
      const runs = [
        { length: 7, origin: 'human' },
        { length: 10, origin: 'ai' },
      ];
      const written = await store.writeRuns('src/a b/ü.ts', text, runs);
      assert.equal(written.blob, await gitHashObject(location.root, Buffer.from(text)));

      const read = await store.readRuns('src/a b/ü.ts', written.blob);
      assert.deepEqual(read, written);
      assert.deepEqual(await store.readRunsForText('src/a b/ü.ts', text), written);
      assert.equal(await store.readRunsForText('src/a b/ü.ts', text + ' '), undefined, 'other text: no record');
      assert.equal(await store.readRunsForText('src/other.ts', text), undefined, 'same text, other path: no record');

      const onDisk = JSON.parse(
        fs.readFileSync(path.join(location.stateDir, 'runs', pathKey('src/a b/ü.ts'), `${written.blob}.json`), 'utf8'),
      ) as Record<string, unknown>;
      assert.equal(onDisk.version, 1);
      assert.equal(onDisk.path, 'src/a b/ü.ts');
      assert.deepEqual(logger.warnings(), []);
    });

    it("validate the runs payload with the caller's parser", async () => {
      const writer = new StateStore(location, logger);
      await writer.writeRuns('a.ts', 'abc', 'not an array');
      const strict = new StateStore<string[]>(location, logger, {
        parseRuns: value => {
          if (!Array.isArray(value)) throw new Error('runs must be an array');
          return value as string[];
        },
      });
      assert.equal(await strict.readLatest('a.ts'), undefined);
      assert.match(logger.warnings()[0] ?? '', /runs must be an array/);
    });

    it('index each path to its latest blob, separately per path', async () => {
      const store = new StateStore(location, logger);
      assert.equal(await store.latest('a.ts'), undefined);
      assert.equal(await store.readLatest('a.ts'), undefined);
      const first = await store.writeRuns('a.ts', 'one', 1);
      const second = await store.writeRuns('a.ts', 'two', 2);
      const other = await store.writeRuns('dir/b.ts', 'one', 'b');

      assert.equal((await store.latest('a.ts'))?.blob, second.blob);
      assert.equal((await store.readLatest('a.ts'))?.runs, 2);
      assert.equal((await store.readLatest('dir/b.ts'))?.runs, 'b');
      assert.equal((await store.readRuns('a.ts', first.blob))?.runs, 1, 'older records stay readable by blob');
      assert.deepEqual(
        (await store.listTracked()).map(t => [t.path, t.blob]),
        [
          ['a.ts', second.blob],
          ['dir/b.ts', other.blob],
        ],
      );
      // The same text under another path (a rename) can be found by blob.
      assert.deepEqual((await store.findByBlob(first.blob)).map(r => [r.path, r.runs]).sort(), [
        ['a.ts', 1],
        ['dir/b.ts', 'b'],
      ]);
      // Writing an old text again makes it the latest again.
      await store.writeRuns('a.ts', 'one', 3);
      assert.equal((await store.readLatest('a.ts'))?.runs, 3);

      await store.forget('a.ts');
      assert.equal(await store.readLatest('a.ts'), undefined);
      assert.deepEqual(
        (await store.listTracked()).map(t => t.path),
        ['dir/b.ts'],
      );
    });

    it('find a text under any path through the blob index: records from before it too, and only the paths it names', async () => {
      const store = new StateStore(location, logger);
      const a = await store.writeRuns('a.ts', 'shared text', 1);
      // A record written before the index existed (0.1): no entry of its own, and no .indexed yet.
      const old = await store.writeRuns('old.ts', 'shared text', 2);
      fs.rmSync(path.join(location.stateDir, 'blobs', a.blob, pathKey('old.ts')));
      const fresh = new StateStore(location, logger);
      assert.deepEqual((await fresh.findByBlob(old.blob)).map(r => r.path).sort(), ['a.ts', 'old.ts']);
      assert.ok(fs.existsSync(path.join(location.stateDir, 'blobs', '.indexed')), 'the index says it is complete');
      // Once swept, a search reads only the paths the index lists, and a later process reads again only the folders
      // changed since the sweep: a record filed in an older folder without an entry (a hand-made or damaged file) is
      // not even opened, so it is not moved aside.
      const stray = path.join(location.stateDir, 'runs', pathKey('stray.ts'));
      fs.mkdirSync(stray, { recursive: true });
      fs.writeFileSync(path.join(stray, `${a.blob}.json`), 'not json');
      const past = new Date(Date.now() - 3_600_000);
      fs.utimesSync(stray, past, past);
      assert.deepEqual((await new StateStore(location, logger).findByBlob(a.blob)).map(r => r.path).sort(), [
        'a.ts',
        'old.ts',
      ]);
      assert.ok(fs.existsSync(path.join(stray, `${a.blob}.json`)));
      // An entry whose record is gone reads as nothing.
      await store.forget('a.ts');
      assert.deepEqual(
        (await store.findByBlob(a.blob)).map(r => r.path),
        ['old.ts'],
      );
      // A record another version writes later (no entry of its own) is found by the next process's sweep.
      const other = await store.writeRuns('other.ts', 'shared text', 3);
      fs.rmSync(path.join(location.stateDir, 'blobs', other.blob, pathKey('other.ts')));
      assert.deepEqual((await new StateStore(location, logger).findByBlob(other.blob)).map(r => r.path).sort(), [
        'old.ts',
        'other.ts',
      ]);
    });

    it('prune old records per path, keeping the newest and the one the index names', async () => {
      const store = new StateStore(location, logger, { keepPerPath: 3, pruneGraceMs: 0 });
      const dir = path.join(location.stateDir, 'runs', pathKey('a.ts'));
      const blobs: string[] = [];
      for (let i = 0; i < 10; i++) {
        blobs.push((await store.writeRuns('a.ts', `version ${i}`, i)).blob);
        // distinct modification times even on coarse clocks: the order pruning keeps is by write time
        const when = new Date(Date.now() - (10 - i) * 1000);
        fs.utimesSync(path.join(dir, `${blobs[i]}.json`), when, when);
      }
      const kept = () =>
        fs
          .readdirSync(dir)
          .filter(n => n !== 'latest.json')
          .map(n => n.slice(0, -5))
          .sort();
      // Writes prune once a path holds more than 2 × 3 records: at the 7th write, back to the newest 3.
      assert.deepEqual(kept(), blobs.slice(4).sort());
      assert.equal(await store.prune('a.ts'), 3);
      assert.deepEqual(kept(), blobs.slice(-3).sort());
      assert.equal((await store.readLatest('a.ts'))?.runs, 9);
      // A pruned record's blob index entry may stay: it reads as nothing.
      assert.deepEqual(await store.findByBlob(blobs[0]!), []);
      assert.deepEqual(
        (await store.findByBlob(blobs[9]!)).map(r => r.path),
        ['a.ts'],
      );

      // The index names an old record (the text went back to version 0's): it survives pruning though older.
      await store.writeRuns('a.ts', 'version 0', 'again');
      const old = new Date(Date.now() - 60_000);
      fs.utimesSync(path.join(dir, `${blobs[0]}.json`), old, old);
      assert.equal(await store.prune('a.ts', { keep: 1 }), 2);
      assert.deepEqual(kept(), [blobs[0], blobs[9]].sort());
      assert.equal((await store.readLatest('a.ts'))?.runs, 'again');

      // The grace period protects records written just now.
      const graceful = new StateStore(location, logger, { keepPerPath: 1 });
      for (let i = 0; i < 4; i++) await graceful.writeRuns('c.ts', `c ${i}`, i);
      assert.equal(await graceful.prune('c.ts'), 0);
      assert.equal(fs.readdirSync(path.join(location.stateDir, 'runs', pathKey('c.ts'))).length, 5);
    });

    it('write nothing inside the work tree, and keep their folders private', async () => {
      fs.writeFileSync(path.join(location.root, 'tracked.txt'), 'x\n');
      const store = new StateStore(location, logger);
      await store.writeRuns('tracked.txt', 'x\n', []);
      await store.writeJson('review-requests.json', { version: 1, items: [] });
      await new Spool(location, logger).append({ any: 'thing' });
      const status = await runGit(['status', '--porcelain', '--ignored', '--untracked-files=all'], {
        cwd: location.root,
      });
      assert.equal(status.stdout, '?? tracked.txt\n');
      assert.ok(location.stateDir.startsWith(path.join(location.root, '.git') + path.sep), location.stateDir);
      if (process.platform !== 'win32') {
        for (const dir of [
          location.stateDir,
          path.join(location.stateDir, 'runs'),
          path.join(location.stateDir, 'spool'),
        ]) {
          assert.equal(fs.statSync(dir).mode & 0o777, 0o700, dir);
        }
      }
    });

    it('reject paths and blob ids that are not keys', async () => {
      const store = new StateStore(location, logger);
      for (const bad of ['', '/abs.ts', '../up.ts', 'a/./b.ts', 'a//b.ts', 'a\\b.ts', 'C:/x.ts']) {
        await assert.rejects(store.writeRuns(bad, 'x', []), TypeError, bad);
      }
      await assert.rejects(store.readRuns('a.ts', 'ABC'), TypeError);
      await assert.rejects(store.writeJson('../x.json', { version: 1 }), TypeError);
    });
  });

  describe('corrupt and unknown-version files', () => {
    async function recordFile(store: StateStore, repoPath: string, text: string): Promise<string> {
      const { blob } = await store.writeRuns(repoPath, text, ['runs']);
      return path.join(location.stateDir, 'runs', pathKey(repoPath), `${blob}.json`);
    }

    it('move a record that is not JSON aside with a warning, and read as absent', async () => {
      const store = new StateStore(location, logger);
      const file = await recordFile(store, 'a.ts', 'text');
      fs.writeFileSync(file, '{"version":1,"path":"a.ts","bl');
      assert.equal(await store.readRunsForText('a.ts', 'text'), undefined);
      assert.equal(await store.readLatest('a.ts'), undefined);
      assert.equal(fs.existsSync(file), false);
      const moved = corruptFiles(location);
      assert.equal(moved.length, 1);
      assert.match(moved[0] ?? '', /^runs~[0-9a-f]{40}~[0-9a-f]{40}\.json\.\d{4}-\d\d-\d\dT[\d-]+Z$/);
      assert.equal(
        fs.readFileSync(path.join(location.stateDir, 'corrupt', moved[0] ?? ''), 'utf8'),
        '{"version":1,"path":"a.ts","bl',
      );
      const [warning, ...more] = logger.warnings();
      assert.deepEqual(more, []);
      assert.ok(warning?.includes(file), warning);
      assert.ok(warning?.includes(path.join(location.stateDir, 'corrupt', moved[0] ?? '')), warning);
      assert.match(warning ?? '', /not valid JSON/);
      // A new write of the same text works again.
      await store.writeRuns('a.ts', 'text', ['again']);
      assert.deepEqual((await store.readLatest('a.ts'))?.runs, ['again']);
    });

    it('move an unknown-version record aside', async () => {
      const store = new StateStore(location, logger);
      const file = await recordFile(store, 'a.ts', 'text');
      const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      fs.writeFileSync(file, JSON.stringify({ ...value, version: 2 }));
      assert.equal(await store.readRunsForText('a.ts', 'text'), undefined);
      assert.equal(fs.existsSync(file), false);
      assert.equal(corruptFiles(location).length, 1);
      assert.match(logger.warnings()[0] ?? '', /unknown version 2 \(this build reads version 1\)/);
    });

    it('move a wrong-shape index entry and a document of another version aside', async () => {
      const store = new StateStore(location, logger);
      await store.writeRuns('a.ts', 'text', []);
      const pointer = path.join(location.stateDir, 'runs', pathKey('a.ts'), 'latest.json');
      fs.writeFileSync(
        pointer,
        JSON.stringify({ version: 1, path: 'a.ts', blob: 'nope', savedAt: new Date().toISOString() }),
      );
      assert.equal(await store.latest('a.ts'), undefined);
      assert.match(logger.warnings()[0] ?? '', /field "blob" is not a blob id/);

      fs.writeFileSync(path.join(location.stateDir, 'review-requests.json'), JSON.stringify({ version: 7, items: [] }));
      assert.deepEqual(await store.readList('review-requests.json', v => v), []);
      assert.match(logger.warnings()[1] ?? '', /review-requests\.json is unusable \(unknown version 7/);
      assert.deepEqual(
        corruptFiles(location)
          .map(name => name.replace(/\.[^.]+$/, ''))
          .sort(),
        ['review-requests.json', `runs~${pathKey('a.ts')}~latest.json`],
      );
    });

    it('never mistake a leftover temporary file for data', async () => {
      const store = new StateStore(location, logger);
      const { blob } = await store.writeRuns('a.ts', 'text', ['ok']);
      const dir = path.join(location.stateDir, 'runs', pathKey('a.ts'));
      // What a writer killed between open and rename leaves behind: a partial file under a temporary name.
      fs.writeFileSync(path.join(dir, `.${blob}.json.999-abc.tmp`), '{"version":1,"pa');
      fs.mkdirSync(path.join(location.stateDir, 'spool'), { recursive: true });
      fs.writeFileSync(path.join(location.stateDir, 'spool', '.000000000000001-x.json.1-a.tmp'), '{"vers');
      assert.deepEqual((await store.readLatest('a.ts'))?.runs, ['ok']);
      const spool = new Spool(location, logger);
      assert.deepEqual(await spool.pending(), []);
      assert.deepEqual(await spool.drain(() => assert.fail('nothing to deliver')), { delivered: 0, quarantined: 0 });
      assert.equal(await store.cleanup(60_000), 0, 'fresh temporary files may belong to a live writer');
      assert.equal(await store.cleanup(0), 1);
      assert.equal(await spool.cleanup(0), 1);
      assert.deepEqual(
        walk(location.stateDir).filter(name => name.endsWith('.tmp')),
        [],
      );
      assert.deepEqual(logger.warnings(), []);
    });
  });

  describe('documents', () => {
    it('round-trip with a version check, and lists update under a lock', async () => {
      const store = new StateStore(location, logger);
      assert.equal(await store.readJson('settings.json', 3, v => v), undefined);
      await store.writeJson('settings.json', { version: 3, flag: true });
      assert.deepEqual(await store.readJson('settings.json', 3, v => ({ version: 3, flag: v.flag === true })), {
        version: 3,
        flag: true,
      });

      const parseItem = (value: unknown): { to: string } => {
        if (typeof (value as { to?: unknown }).to !== 'string') throw new Error('no "to"');
        return value as { to: string };
      };
      assert.deepEqual(await store.readList(STATE_LAYOUT.reviewRequests, parseItem), []);
      await Promise.all(
        ['a@x', 'b@x', 'c@x'].map(to =>
          store.updateList(STATE_LAYOUT.reviewRequests, parseItem, items => [...items, { to }]),
        ),
      );
      const items = await store.readList(STATE_LAYOUT.reviewRequests, parseItem);
      assert.deepEqual(items.map(i => i.to).sort(), ['a@x', 'b@x', 'c@x']);
      assert.deepEqual(walk(path.join(location.stateDir, 'locks')), [], 'locks are released');
    });

    it('break a lock whose holder died, with a warning', async () => {
      const store = new StateStore(location, logger, { lockTimeoutMs: 5_000 });
      fs.mkdirSync(path.join(location.stateDir, 'locks'), { recursive: true });
      const lock = { version: 1, pid: deadPid(), host: os.hostname(), at: new Date().toISOString(), token: 'dead' };
      fs.writeFileSync(path.join(location.stateDir, 'locks', 'counter.json.lock'), JSON.stringify(lock));
      const result = await store.updateJson(COUNTER_FILE, 1, parseCounter, current => ({
        version: 1,
        count: (current?.count ?? 0) + 1,
      }));
      assert.equal(result.count, 1);
      assert.match(
        logger.warnings()[0] ?? '',
        /removed the stale lock .*counter\.json\.lock because its holder, process \d+, is gone/,
      );
    });
  });

  describe('spool', () => {
    it('deliver records in append order and remove each only after its handler succeeded', async () => {
      const spool = new Spool<ChildRecord>(location, logger, { parse: parseChildRecord });
      const names: string[] = [];
      for (let i = 0; i < 50; i++)
        names.push(i % 2 ? await spool.append({ tag: 't', i }) : spool.appendSync({ tag: 't', i }));
      assert.deepEqual(await spool.pending(), names);

      const seen: number[] = [];
      const result = await spool.drain(
        async entry => {
          assert.ok(
            fs.existsSync(path.join(spool.dir, '.claimed')) && !fs.existsSync(path.join(spool.dir, entry.name)),
          );
          assert.equal(entry.pid, process.pid);
          seen.push(entry.record.i);
        },
        { max: 20 },
      );
      assert.deepEqual(result, { delivered: 20, quarantined: 0 });
      assert.equal((await spool.pending()).length, 30);
      await spool.drain(entry => void seen.push(entry.record.i));
      assert.deepEqual(
        seen,
        Array.from({ length: 50 }, (_, i) => i),
      );
      assert.deepEqual(walk(spool.dir), [], 'delivered records are gone');
    });

    it('put a record back and stop when the handler throws', async () => {
      const spool = new Spool<ChildRecord>(location, logger, { parse: parseChildRecord });
      const names = [0, 1, 2].map(i => spool.appendSync({ tag: 't', i }));
      const boom = new Error('handler failed');
      const seen: number[] = [];
      const result = await spool.drain(entry => {
        if (entry.record.i === 1) throw boom;
        seen.push(entry.record.i);
      });
      assert.deepEqual(result, { delivered: 1, quarantined: 0, failure: { name: names[1], error: boom } });
      assert.deepEqual(await spool.pending(), names.slice(1));
      await spool.drain(entry => void seen.push(entry.record.i));
      assert.deepEqual(seen, [0, 1, 2]);
    });

    it('with settle, keep the records a drain delivered until settle resolved, and put them back when it throws', async () => {
      const spool = new Spool<ChildRecord>(location, logger, { parse: parseChildRecord });
      const names = [0, 1, 2, 3].map(i => spool.appendSync({ tag: 't', i }));
      const claimed = (): string[] =>
        walk(spool.dir)
          .filter(n => n.startsWith('.claimed/'))
          .map(n => n.slice('.claimed/'.length).split('~')[0]!)
          .sort();
      // A handler that fails on the third record: settle still runs for the two before it, which are still on disk.
      const boom = new Error('handler failed');
      const seen: number[] = [];
      let settledWith: string[] | undefined;
      const first = await spool.drain(
        entry => {
          if (entry.record.i === 2) throw boom;
          seen.push(entry.record.i);
        },
        { settle: async () => void (settledWith = claimed()) },
      );
      assert.deepEqual(first, { delivered: 2, quarantined: 0, failure: { name: names[2], error: boom } });
      assert.deepEqual(settledWith, names.slice(0, 2), 'held, claimed, while settle ran');
      assert.deepEqual(await spool.pending(), names.slice(2));
      assert.deepEqual(claimed(), [], 'deleted once settled');
      // A settle that throws: every record of the drain goes back, in its place.
      const failed = new Error('settle failed');
      const second = await spool.drain(entry => void seen.push(entry.record.i), {
        settle: () => Promise.reject(failed),
      });
      assert.deepEqual(second, { delivered: 0, quarantined: 0, failure: { name: names[2], error: failed } });
      assert.deepEqual(await spool.pending(), names.slice(2));
      assert.deepEqual(claimed(), []);
      await spool.drain(entry => void seen.push(entry.record.i), { settle: () => Promise.resolve() });
      assert.deepEqual(seen, [0, 1, 2, 3, 2, 3]);
      assert.deepEqual(walk(spool.dir), []);
    });

    it('move a record that does not parse aside and deliver the rest', async () => {
      const spool = new Spool<ChildRecord>(location, logger, { parse: parseChildRecord });
      spool.appendSync({ tag: 't', i: 0 });
      const bad = spool.appendSync({ tag: 't', i: 1 });
      const wrongShape = spool.appendSync({ nope: true } as unknown as ChildRecord);
      spool.appendSync({ tag: 't', i: 3 });
      fs.writeFileSync(path.join(spool.dir, bad), '{"version":1,"at":');
      const seen: number[] = [];
      const result = await spool.drain(entry => void seen.push(entry.record.i));
      assert.deepEqual(result, { delivered: 2, quarantined: 2 });
      assert.deepEqual(seen, [0, 3]);
      assert.deepEqual(
        corruptFiles(location)
          .map(name => name.replace(/\.[^.]+$/, ''))
          .sort(),
        [`spool~${bad}`, `spool~${wrongShape}`].sort(),
      );
      const warnings = logger.warnings();
      assert.equal(warnings.length, 2);
      assert.match(warnings[0] ?? '', /not valid JSON/);
      assert.match(warnings[1] ?? '', /field "record" is invalid \(not a child record\)/);
    });

    it('return a record claimed by a drain that died or stalled to the spool, and leave live claims alone', async () => {
      const spool = new Spool<ChildRecord>(location, logger, { parse: parseChildRecord });
      const [dead, live, stalled] = [7, 8, 9].map(i => spool.appendSync({ tag: 't', i })) as [string, string, string];
      const claimDir = path.join(spool.dir, '.claimed');
      fs.mkdirSync(claimDir);
      const claim = (name: string, pid: number, at: number): void =>
        fs.renameSync(path.join(spool.dir, name), path.join(claimDir, `${name}~${pid}~${at}~abcd`));
      claim(dead, deadPid(), Date.now());
      claim(live, process.ppid, Date.now()); // a live process is working on it
      claim(stalled, process.ppid, Date.now() - 11 * 60_000); // alive (or a reused pid), but far past the limit
      const seen: SpoolEntry<ChildRecord>[] = [];
      await spool.drain(entry => void seen.push(entry));
      assert.deepEqual(
        seen.map(e => [e.name, e.record.i]),
        [
          [dead, 7],
          [stalled, 9],
        ],
      );
      assert.deepEqual(
        walk(spool.dir).map(name => name.split('~')[0]),
        [`.claimed/${live}`],
      );
      assert.equal(
        logger.lines.filter(line => line.level === 'info' && line.message.includes('returned spool record')).length,
        2,
      );
    });
  });

  describe('crash safety', () => {
    it('a writer killed at random moments loses nothing and leaves nothing corrupt', async () =>
      withSeed('crash safety', async random => {
        const store = new StateStore(location, logger, { objectFormat: 'sha1' });
        const spool = new Spool<ChildRecord>(location, logger, { parse: parseChildRecord });
        const lastSpool = new Map<string, number>();
        let lastJson: { tag: string; i: number } | undefined;
        let lastRuns: { tag: string; i: number } | undefined;
        let lastCounter = 0;

        for (let round = 0; round < 6; round++) {
          const tag = `r${round}`;
          // Kill at a random moment: after a random number of completed writes plus a random fraction of the time one
          // write takes, so the kill lands anywhere inside a write (open, write, fsync, rename, lock, prune).
          const killAfter = 4 + Math.floor(random() * 24);
          const killDelayMs = random() * 15;
          let lines = 0;
          const child = await runChild(['kill-loop', location.stateDir, tag], (line, kill) => {
            const [kind, n] = line.split(' ') as [string, string];
            if (kind === 'spool') lastSpool.set(tag, Number(n));
            if (kind === 'json') lastJson = { tag, i: Number(n) };
            if (kind === 'runs') lastRuns = { tag, i: Number(n) };
            if (kind === 'counter') lastCounter = Number(n);
            if (++lines === killAfter) setTimeout(kill, killDelayMs);
          });
          assert.equal(
            child.signal,
            'SIGKILL',
            `round ${round}: the child should have been killed; stderr: ${child.stderr}`,
          );
          assert.doesNotMatch(child.stderr, /unusable|error/, child.stderr);

          // Every record file that exists parses (pending() lists record names only; read them raw).
          for (const name of await spool.pending()) {
            const raw = JSON.parse(fs.readFileSync(path.join(spool.dir, name), 'utf8')) as {
              version: number;
              record: unknown;
            };
            assert.equal(raw.version, 1);
            parseChildRecord(raw.record);
          }
          // The document is the last completed version or the one after it, complete.
          const doc = await store.readJson<BigDoc>(DOC_FILE, 1, value => value as unknown as BigDoc);
          assert.ok(doc && lastJson, `round ${round}: the document must be readable`);
          assert.equal(doc.digest, digest(doc.tag, doc.i, doc.pad));
          assert.ok(
            doc.tag === lastJson.tag && (doc.i === lastJson.i || doc.i === lastJson.i + 1),
            `doc ${doc.tag}:${doc.i}, last written ${lastJson.tag}:${lastJson.i}`,
          );
          // The runs index names a complete record of the last or the next text.
          const record = await store.readLatest(BIG_PATH);
          assert.ok(record && lastRuns, `round ${round}: the latest runs record must be readable`);
          const runs = record.runs as { tag: string; i: number; digest: string };
          assert.ok(
            runs.tag === lastRuns.tag && (runs.i === lastRuns.i || runs.i === lastRuns.i + 1),
            `runs ${runs.tag}:${runs.i}`,
          );
          assert.equal(record.blob, computeBlobId(bigText(runs.tag, runs.i)));
          assert.equal(runs.digest, digest(bigText(runs.tag, runs.i)));
          // The locked counter lost no completed increment (a killed holder's lock is broken by the next writer).
          const counter = await store.readJson(COUNTER_FILE, 1, parseCounter);
          assert.ok(
            counter && (counter.count === lastCounter || counter.count === lastCounter + 1),
            `counter ${counter?.count} after ${lastCounter}`,
          );
          assert.deepEqual(corruptFiles(location), []);
        }

        // Nothing appended was lost, and nothing was delivered twice.
        const delivered = new Map<string, number[]>();
        const result = await spool.drain(entry => {
          delivered.set(entry.record.tag, [...(delivered.get(entry.record.tag) ?? []), entry.record.i]);
        });
        assert.equal(result.quarantined, 0);
        for (const [tag, last] of lastSpool) {
          const got = delivered.get(tag) ?? [];
          // The record being written when the kill came may or may not have made it; all before it did, in order.
          assert.ok(
            got.length === last + 1 || got.length === last + 2,
            `${tag}: ${got.length} records, last acknowledged ${last}`,
          );
          assert.deepEqual(
            got,
            Array.from({ length: got.length }, (_, i) => i),
          );
        }
        // Temporary files left by the kills are ignored above and removed by cleanup.
        await store.cleanup(0);
        await spool.cleanup(0);
        assert.deepEqual(
          walk(location.stateDir).filter(name => path.basename(name).startsWith('.')),
          [],
        );
        assert.deepEqual(logger.warnings(), []);
      }));
  });

  describe('concurrency', () => {
    it('20 concurrent writers lose nothing: spool records, runs index, locked updates', async () => {
      const writers = 20;
      const perWriter = 25;
      const children = await Promise.all(
        Array.from({ length: writers }, (_, id) =>
          runChild(['writer', location.stateDir, String(id), String(perWriter)], undefined, false),
        ),
      );
      let increments = 0;
      for (const child of children) {
        assert.equal(child.code, 0, child.stderr);
        assert.equal(child.stderr, '', 'no warnings: nothing was corrupt or stale');
        increments += (JSON.parse(child.stdout) as { increments: number }).increments;
      }

      const spool = new Spool<ChildRecord>(location, logger, { parse: parseChildRecord });
      const seen = new Set<string>();
      const result = await spool.drain(entry => {
        const key = `${entry.record.tag}:${entry.record.i}`;
        assert.ok(!seen.has(key), `${key} delivered twice`);
        seen.add(key);
      });
      assert.deepEqual(result, { delivered: writers * perWriter, quarantined: 0 });
      for (let id = 0; id < writers; id++)
        for (let k = 0; k < perWriter; k++) assert.ok(seen.has(`w${id}:${k}`), `w${id}:${k} lost`);

      const store = new StateStore<{ id: number; k: number }>(location, logger, { keepPerPath: 4 });
      assert.equal((await store.readJson(COUNTER_FILE, 1, parseCounter))?.count, increments);
      const tracked = await store.listTracked();
      assert.equal(tracked.length, writers + 1);
      for (const file of tracked) {
        const record = await store.readLatest(file.path);
        assert.ok(record, `${file.path}: the index names a record that exists`);
        assert.equal(
          record.blob,
          computeBlobId(`${file.path === 'shared.txt' ? 'shared' : 'own'} ${record.runs.id} ${record.runs.k}\n`),
        );
      }
      // Writers prune with a grace period; once they are done, pruning bounds each path.
      await store.prune('shared.txt', { graceMs: 0 });
      const sharedDir = path.join(location.stateDir, 'runs', pathKey('shared.txt'));
      assert.ok(
        fs.readdirSync(sharedDir).length <= 4 + 1 + 1,
        'keep newest 4 + the one latest.json names + latest.json',
      );
      assert.deepEqual(corruptFiles(location), []);
      assert.deepEqual(logger.warnings(), []);
    });

    it('concurrent drains in several processes deliver every record exactly once', async () => {
      const doneFile = path.join(location.root, '..', `${path.basename(location.root)}.done`);
      made.push(doneFile);
      const drainers = Array.from({ length: 3 }, () =>
        runChild(['drainer', location.stateDir, doneFile], undefined, false),
      );
      const writers = await Promise.all(
        Array.from({ length: 6 }, (_, id) =>
          runChild(['writer', location.stateDir, String(id), '40'], undefined, false),
        ),
      );
      for (const writer of writers) assert.equal(writer.code, 0, writer.stderr);
      // Also drain from this process while the others do.
      const spool = new Spool<ChildRecord>(location, logger, { parse: parseChildRecord });
      const mine: ChildRecord[] = [];
      await spool.drain(entry => void mine.push(entry.record));
      fs.writeFileSync(doneFile, '');

      const all: ChildRecord[] = [...mine];
      for (const drainer of await Promise.all(drainers)) {
        assert.equal(drainer.code, 0, drainer.stderr);
        all.push(...(JSON.parse(drainer.stdout) as ChildRecord[]));
      }
      const keys = all.map(r => `${r.tag}:${r.i}`);
      assert.equal(new Set(keys).size, keys.length, 'no record delivered twice');
      assert.equal(keys.length, 6 * 40, 'no record lost');
      assert.deepEqual(await spool.pending(), []);
      assert.deepEqual(walk(spool.dir), []);
    });
  });
});
