import type { Logger } from '../core/log';
import { DEFAULT_POLICY, parsePolicy, PolicyError, type TrailerPolicy } from '../core/review/policy';
import { PRODUCT } from '../core/product';
import { fileAtHead } from '../io/git/queries';
import { readFileAt } from '../io/git/cat-file';

/**
 * The trailer settings of the repository policy, read from HEAD (what the team committed). Trailers are
 * informational, so a missing policy means the defaults, and a broken one the defaults with a warning that
 * names the bad key: a commit is never blocked by a policy mistake.
 */
export async function readTrailerPolicy(
  root: string,
  logger: Logger,
  at?: { head: string | undefined },
): Promise<TrailerPolicy> {
  const file = `${PRODUCT.policyDir}/policy.json`;
  // With HEAD known (the commit hook asked git already), through the repository's cat-file (one git start fewer).
  const text = !at
    ? await fileAtHead(root, file, logger)
    : at.head === undefined
      ? undefined
      : (await readFileAt(root, at.head, file, logger))?.toString('utf8');
  if (text === undefined) return DEFAULT_POLICY.trailers;
  try {
    return parsePolicy(text).trailers;
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    logger.warn(`${PRODUCT.policyDir}/policy.json at HEAD: ${error.message}; the trailers use the default policy`);
    return DEFAULT_POLICY.trailers;
  }
}
