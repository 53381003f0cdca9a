import { runGit } from '../git/git';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';

/**
 * The kept evidence (docs/audit.md): refs under refs/ai-provenance/ that keep sign-offs, and the branches they
 * reviewed, reachable after a squash or rebase merge and after the branch is deleted.
 * - `refs/ai-provenance/signoffs/<commit>`: each sign-off commit, set by `sign-off`, sent by `notes push`;
 * - `refs/ai-provenance/forge/<remote>/pull/<n>` and `.../merge-requests/<n>`: the pull (merge) request heads the
 *   forge keeps (GitHub `refs/pull/<n>/head`, GitLab `refs/merge-requests/<n>/head`), fetched by `notes fetch`.
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

/** Sends the kept sign-offs to `remote` (no-op output when there are none). */
export async function pushEvidence(root: string, remote: string, logger: Logger = nullLogger): Promise<string> {
  const listed = await runGit(['for-each-ref', '--count=1', '--format=%(refname)', `${EVIDENCE_REF_PREFIX}signoffs/`], {
    cwd: root,
    logger,
  });
  if (listed.stdout.trim() === '') return '';
  const r = await runGit(['push', remote, `${EVIDENCE_REF_PREFIX}signoffs/*:${EVIDENCE_REF_PREFIX}signoffs/*`], {
    cwd: root,
    logger,
  });
  return (r.stdout + r.stderr).trim();
}

/** Fetches `remote`'s kept sign-offs and the pull (merge) request heads its forge keeps. */
export async function fetchEvidence(root: string, remote: string, logger: Logger = nullLogger): Promise<string> {
  const forge = `${EVIDENCE_REF_PREFIX}forge/${component(remote)}`;
  const r = await runGit(
    [
      'fetch',
      '--no-tags',
      '--no-write-fetch-head',
      remote,
      `+${EVIDENCE_REF_PREFIX}signoffs/*:${EVIDENCE_REF_PREFIX}signoffs/*`,
      `+refs/pull/*/head:${forge}/pull/*`,
      `+refs/merge-requests/*/head:${forge}/merge-requests/*`,
    ],
    { cwd: root, logger },
  );
  return (r.stdout + r.stderr).trim();
}
