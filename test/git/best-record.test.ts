import * as assert from 'node:assert/strict';
import { nullLogger } from '../../src/core/log';
import { HUMAN, UNKNOWN, isAi, type AiOrigin, type Run } from '../../src/core/attribution/origin';
import { encodeRuns } from '../../src/core/formats/stored-runs';
import { bestRecord, exactRecord, latestRecord } from '../../src/io/attribution/best-record';
import { openRunsStore, type RunsStore } from '../../src/io/attribution/runs-store';
import { writeBlob } from '../../src/io/git/queries';
import { locateRepository } from '../../src/io/git/repository';
import { TempRepo } from '../support/git-fixture';

/** The one best-record lookup of the editor, the commit hook and spool ingestion (src/io/attribution/best-record.ts). */
describe('best stored record for a text', () => {
  let repo: TempRepo;
  let store: RunsStore;
  const ai: AiOrigin = { id: 'id-1', tool: 'claude-code', kind: 'agent', at: '2026-11-24T00:00:00.000Z' };
  const aiRuns = (text: string): Run[] => [{ length: text.length, origin: ai }];
  const query = (paths: string[], text?: string, candidates?: string[]) => ({
    paths,
    text,
    ...(candidates ? { candidates } : {}),
    root: repo.dir,
    logger: nullLogger,
  });

  beforeEach(async () => {
    repo = new TempRepo();
    store = openRunsStore(await locateRepository(repo.dir), nullLogger);
  });
  afterEach(() => repo.dispose());

  it('1. a record for exactly this text: under the path, then an old path, then any path', async () => {
    await store.writeRuns('a.ts', 'exact\n', encodeRuns(aiRuns('exact\n')));
    const here = await bestRecord(store, query(['a.ts'], 'exact\n'));
    assert.deepEqual([here?.exact, here?.path, here?.text], [true, 'a.ts', 'exact\n']);
    assert.ok(here?.runs.every(r => isAi(r.origin)));

    await store.writeRuns('moved-from.ts', 'moved\n', encodeRuns([{ length: 6, origin: HUMAN }]));
    await store.writeRuns('elsewhere.ts', 'moved\n', encodeRuns(aiRuns('moved\n')));
    const renamed = await exactRecord(store, { ...query(['moved-to.ts', 'moved-from.ts']), text: 'moved\n' });
    assert.equal(renamed?.path, 'moved-from.ts', "the old path's record before any other path's");
    const anywhere = await exactRecord(store, { ...query(['unrelated.ts']), text: 'moved\n' });
    assert.ok(anywhere && ['moved-from.ts', 'elsewhere.ts'].includes(anywhere.path), 'a file moved outside the editor');
  });

  it('2. else the latest record with the older text it describes, from git, the work tree or the caller', async () => {
    const older = 'line one\nline two\n';
    await store.writeRuns('b.ts', older, encodeRuns(aiRuns(older)));
    // The text is nowhere yet: not in git, not in the work tree, not given.
    assert.equal(await latestRecord(store, query(['b.ts'], 'line one\nline two\nthree\n')), undefined);
    const given = await bestRecord(store, query(['b.ts'], 'line one\nline two\nthree\n', [older]));
    assert.deepEqual([given?.exact, given?.text], [false, older], 'a text the caller holds (an agent snapshot)');
    repo.write('b.ts', older);
    assert.equal((await latestRecord(store, query(['b.ts'], 'changed\n')))?.text, older, 'the work tree file');
    repo.write('b.ts', 'something else\n');
    await writeBlob(repo.dir, older);
    const fromGit = await bestRecord(store, query(['b.ts'], 'line one\nline two\nthree\n'));
    assert.deepEqual([fromGit?.exact, fromGit?.text], [false, older], "git's object database");
    assert.ok(
      fromGit?.runs.every(r => isAi(r.origin)),
      'the runs describe the older text, for the caller to re-anchor',
    );
  });

  it('3. exact wins over a newer latest record; nothing known is undefined', async () => {
    await store.writeRuns('c.ts', 'v1\n', encodeRuns(aiRuns('v1\n')));
    await store.writeRuns('c.ts', 'v2\n', encodeRuns([{ length: 3, origin: UNKNOWN }]));
    const found = await bestRecord(store, query(['c.ts'], 'v1\n'));
    assert.deepEqual([found?.exact, found?.runs.every(r => isAi(r.origin))], [true, true]);
    assert.equal(await bestRecord(store, query(['never-seen.ts'], 'x\n')), undefined);
  });
});
