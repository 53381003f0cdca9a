import * as assert from 'node:assert/strict';
import { nullLogger } from '../../src/core/log';
import { locateRepository } from '../../src/io/git/repository';
import { reviewWithDetails } from '../../src/io/review/branch-review';
import {
  agentTraceNote,
  attribution,
  junior,
  senior,
  senior2,
  show,
  signoffReposPerTest,
} from '../support/signoff-fixture';

/**
 * One review profile: `check` (the CI gate) and what the sidebar, `log` and request-review show (reviewWithDetails,
 * the function the extension's Needs Sign-off model calls) decide alike. Before it, the sidebar read AI lines from
 * the notes and `check` from the trailer and the touched files: with a note placing the AI lines outside the
 * high-risk path the commit also touches, the sidebar said "signed off" by one senior while CI wanted two.
 */
describe('check and the sidebar agree (one review profile)', () => {
  const repo = signoffReposPerTest();

  interface CheckCommit {
    commit: string;
    needsSignoff: boolean;
    highRisk: boolean;
    requiredSigners: number;
    state: string | null;
    signers: { email: string }[];
  }

  it('on a high-risk commit signed by one senior, both say it waits for a second', async () => {
    const r = repo({ seniors: [senior(), senior2()], policy: { signoff: { highRisk: ['infra/**'] } } });
    // AI lines in src/a.ts, a person's edit in infra/deploy.yml, one commit.
    const id = r.commitAs(junior(), `feat: deploy\n\n${attribution(3)}\nAssisted-by: Copilot:gpt-4.1\n`, {
      files: { 'src/a.ts': 'one\ntwo\nthree\n', 'infra/deploy.yml': 'replicas: 3\n' },
    });
    // The line-level note, as the hook writes it: AI lines 1-3 of src/a.ts, nothing in infra/.
    r.git('notes', '--ref', 'refs/notes/ai-provenance', 'add', '-m', agentTraceNote(id, 'src/a.ts', 1, 3), id);
    const signed = r.signOff(senior());
    assert.equal(signed.status, 0, show(signed));

    const checked = r.check('--format', 'json');
    assert.equal(checked.status, 1, show(checked));
    const gate = (JSON.parse(checked.stdout) as { commits: CheckCommit[] }).commits.find(c => c.commit === id)!;
    assert.deepEqual(
      [gate.needsSignoff, gate.highRisk, gate.requiredSigners, gate.state, gate.signers.map(s => s.email)],
      [true, true, 2, 'pending', ['senior@example.com']],
    );

    const location = await locateRepository(r.dir);
    const shown = await reviewWithDetails({ location, base: 'main', logger: nullLogger });
    const sidebar = shown.report.commits.find(c => c.commit.id === id)!;
    assert.deepEqual(
      [
        sidebar.needsSignoff,
        sidebar.highRisk,
        sidebar.requiredSigners,
        sidebar.state,
        sidebar.signers.map(s => s.email),
      ],
      [gate.needsSignoff, gate.highRisk, gate.requiredSigners, gate.state, gate.signers.map(s => s.email)],
    );
    assert.equal(shown.report.ok, false);
    // The note still serves display: the sidebar knows where the AI lines are.
    assert.deepEqual(
      sidebar.commit.aiPaths?.map(p => [p.path, p.aiLines, p.ranges?.map(x => [x.start, x.end])]),
      [['src/a.ts', 3, [[1, 3]]]],
    );
  });
});
