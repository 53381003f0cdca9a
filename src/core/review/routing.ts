import { normalizeAddress, type ReviewRequest } from './review';

/**
 * Proposing seniors for a review (the editor's "Request Senior Review", `request-review` without `--to`): the owners
 * of the waiting commits' files first, then the rest of the roster, each group ordered by how many open review
 * requests already name each senior (fewest first; ties keep the given order). Pure.
 */

export interface ProposedSenior {
  readonly email: string;
  /** Owns some file of the waiting commits (`.ai-provenance/reviewers`, else CODEOWNERS). */
  readonly owner: boolean;
  /** Open review requests that name them: recent, and not every commit of the request known to be done. */
  readonly openRequests: number;
}

/** How far back a request counts as open. */
export const OPEN_REQUEST_DAYS = 30;

export function rankSeniors(input: {
  /** Owners of the waiting commits' files, in the order found. */
  readonly owners: readonly string[];
  /** Every senior of the roster (plain addresses), in file order. */
  readonly roster: readonly string[];
  readonly requests: readonly ReviewRequest[];
  /** Whether a requested commit is known to need nothing more (signed off, or self-signed). */
  readonly done: (commit: { readonly id: string; readonly patchId?: string }) => boolean;
  readonly now: Date;
}): ProposedSenior[] {
  const since = input.now.getTime() - OPEN_REQUEST_DAYS * 24 * 3600 * 1000;
  const open = new Map<string, number>();
  for (const r of input.requests) {
    const at = Date.parse(r.at);
    if (Number.isNaN(at) || at < since) continue;
    if (r.commits.length > 0 && r.commits.every(c => input.done(c))) continue;
    for (const to of new Set(r.to.map(normalizeAddress))) open.set(to, (open.get(to) ?? 0) + 1);
  }
  const seen = new Set<string>();
  const group = (emails: readonly string[], owner: boolean): ProposedSenior[] => {
    const out: ProposedSenior[] = [];
    for (const email of emails) {
      const key = normalizeAddress(email);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ email, owner, openRequests: open.get(key) ?? 0 });
    }
    // Array.prototype.sort is stable: ties keep the given order.
    return out.sort((a, b) => a.openRequests - b.openRequests);
  };
  return [...group(input.owners, true), ...group(input.roster, false)];
}
