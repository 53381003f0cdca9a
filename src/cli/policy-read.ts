import type { Logger } from '../core/log';
import { PRODUCT } from '../core/product';
import { runGit } from '../git/git';

export interface TrailerPolicy {
  onEveryCommit: boolean;
}

/**
 * The trailer settings of the repository policy, read from HEAD (what the team committed). Trailers are
 * informational, so a missing or unreadable policy means the defaults, with a warning for a broken one.
 */
export async function readTrailerPolicy(root: string, logger: Logger): Promise<TrailerPolicy> {
  const r = await runGit(['show', `HEAD:${PRODUCT.policyDir}/policy.json`], { cwd: root, okExitCodes: [0, 128] });
  if (r.exitCode !== 0) return { onEveryCommit: false };
  try {
    const policy = JSON.parse(r.stdout) as { trailers?: { onEveryCommit?: unknown } };
    return { onEveryCommit: policy.trailers?.onEveryCommit === true };
  } catch (error) {
    logger.warn(`${PRODUCT.policyDir}/policy.json at HEAD is not valid JSON (${(error as Error).message}); using the default trailer policy`);
    return { onEveryCommit: false };
  }
}
