import type { Logger } from '../core/log';
import { DEFAULT_POLICY, parsePolicy, PolicyError, type TrailerPolicy } from '../core/review/policy';
import { PRODUCT } from '../core/product';
import { fileAtHead } from '../io/git/queries';

/**
 * The trailer settings of the repository policy, read from HEAD (what the team committed). Trailers are
 * informational, so a missing policy means the defaults, and a broken one the defaults with a warning that
 * names the bad key: a commit is never blocked by a policy mistake.
 */
export async function readTrailerPolicy(root: string, logger: Logger): Promise<TrailerPolicy> {
  const text = await fileAtHead(root, `${PRODUCT.policyDir}/policy.json`, logger);
  if (text === undefined) return DEFAULT_POLICY.trailers;
  try {
    return parsePolicy(text).trailers;
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    logger.warn(`${PRODUCT.policyDir}/policy.json at HEAD: ${error.message}; the trailers use the default policy`);
    return DEFAULT_POLICY.trailers;
  }
}
