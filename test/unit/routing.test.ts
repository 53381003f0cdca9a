import * as assert from 'node:assert/strict';
import { rankSeniors } from '../../src/core/review/routing';

describe('proposing seniors (rankSeniors)', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const request = (at: string, to: string[], ids: string[]) => ({ at, to, commits: ids.map(id => ({ id })) });

  it('owners first, then the rest of the roster, each by open requests; old and finished requests do not count', () => {
    const ranked = rankSeniors({
      owners: ['b@x.org', 'c@x.org'],
      roster: ['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org'],
      requests: [
        request('2026-12-01T00:00:00Z', ['B@x.org', 'a@x.org'], ['c1']),
        request('2026-12-02T00:00:00Z', ['a@x.org'], ['c2']),
        request('2026-10-01T00:00:00Z', ['c@x.org', 'c@x.org'], ['c3']), // older than 30 days
        request('2026-12-03T00:00:00Z', ['c@x.org'], ['done']), // every commit signed off
      ],
      done: c => c.id === 'done',
      now,
    });
    assert.deepEqual(ranked, [
      { email: 'c@x.org', owner: true, openRequests: 0 },
      { email: 'b@x.org', owner: true, openRequests: 1 },
      { email: 'd@x.org', owner: false, openRequests: 0 },
      { email: 'a@x.org', owner: false, openRequests: 2 },
    ]);
  });
});
