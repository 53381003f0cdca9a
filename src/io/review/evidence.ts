import { runGit } from '../git/git';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';

/**
 * The kept evidence (docs/audit.md): refs under refs/ai-provenance/ that keep sign-offs, and the branches they
 * reviewed, reachable after a squash or rebase merge and after the branch is deleted.
 * - `refs/ai-provenance/signoffs/<commit>`: each sign-off commit, set by `sign-off`, sent by `notes push`;
 * - `refs/ai-provenance/forge/<remote>/pull/<n>` and `.../merge-requests/<n>`: the pull (merge) request heads the
 *   forge keeps (GitHub `refs/pull/<n>/head`, GitLab `refs/merge-requests/<n>/head`), fetched by `notes fetch`.
 * - `refs/ai-provenance/requests/<id>`: review requests carried in git (src/io/review/requests.ts), pushed and
 *   fetched with the rest; they are not evidence of anything and the audit does not read them.
 */
export const EVIDENCE_REF_PREFIX = 'refs/ai-provenance/';

export function signoffEvidenceRef(commit: string): string {
  return `${EVIDENCE_REF_PREFIX}signoffs/${commit}`;
}

/** A remote's name or URL as one ref name component. */
function component(remote: string): string {
  return (
    remote
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '_')
      .replace(/\.lock$/, '_lock') || '_'
  );
}

/** Sends the kept sign-offs and the review requests carried in git to `remote` (no output when there are none). */
export async function pushEvidence(root: string, remote: string, logger: Logger = nullLogger): Promise<string> {
  const specs: string[] = [];
  for (const kind of ['signoffs', 'requests']) {
    const listed = await runGit(
      ['for-each-ref', '--count=1', '--format=%(refname)', `${EVIDENCE_REF_PREFIX}${kind}/`],
      {
        cwd: root,
        logger,
      },
    );
    if (listed.stdout.trim() !== '') specs.push(`${EVIDENCE_REF_PREFIX}${kind}/*:${EVIDENCE_REF_PREFIX}${kind}/*`);
  }
  if (specs.length === 0) return '';
  const r = await runGit(['push', remote, ...specs], { cwd: root, logger });
  return (r.stdout + r.stderr).trim();
}

/** Fetches `remote`'s kept sign-offs, its review requests and the pull (merge) request heads its forge keeps. */
export async function fetchEvidence(root: string, remote: string, logger: Logger = nullLogger): Promise<string> {
  const forge = `${EVIDENCE_REF_PREFIX}forge/${component(remote)}`;
  const r = await runGit(
    [
      'fetch',
      '--no-tags',
      '--no-write-fetch-head',
      remote,
      `+${EVIDENCE_REF_PREFIX}signoffs/*:${EVIDENCE_REF_PREFIX}signoffs/*`,
      `+${EVIDENCE_REF_PREFIX}requests/*:${EVIDENCE_REF_PREFIX}requests/*`,
      `+refs/pull/*/head:${forge}/pull/*`,
      `+refs/merge-requests/*/head:${forge}/merge-requests/*`,
    ],
    { cwd: root, logger },
  );
  return (r.stdout + r.stderr).trim();
}
