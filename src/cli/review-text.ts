import { PRODUCT } from '../core/product';
import {
  isDone,
  type Claim,
  type CommitReview,
  type ReviewNote,
  type SignoffDefect,
  type SignoffReview,
} from '../core/review/review';
import { printable } from '../core/review/packet';
import type { SignoffMessageProblem } from '../core/formats/signoff-message';
import { REVIEWERS_PATH, ROSTER_PATH } from '../io/review/base-policy';

/** Words for the review model's codes: what the CLI prints (the extension renders its own, localized). */

export function short(id: string): string {
  return id.slice(0, 10);
}

export function defectText(defect: SignoffDefect, signoff: string, claim?: Claim, authorEmail?: string): string {
  const s = `sign-off ${short(signoff)}`;
  switch (defect) {
    case 'unsigned':
      return `${s} is not signed (a sign-off loses its signature when it is rebased or amended: the senior signs off again)`;
    case 'not-ssh':
      return `${s} has a GPG or X.509 signature; sign-offs are SSH signatures (gpg.format=ssh)`;
    case 'bad-signature':
      return `the signature of ${s} does not match the commit`;
    case 'unknown-signer':
      return `${s} is signed by a key that ${ROSTER_PATH} at the base does not list for its Reviewed-by address`;
    case 'unreadable':
      return `${s} cannot be read byte for byte (it holds bytes that are not UTF-8), so its signature cannot be checked`;
    case 'no-roster':
      return `the base has no ${ROSTER_PATH}, so ${s} cannot count`;
    case 'malformed':
      return `${s} is not a well-formed sign-off`;
    case 'not-empty':
      return `${s} changes files; a sign-off must be an empty commit`;
    case 'merge':
      return `${s} is a merge commit; a sign-off must be a plain empty commit`;
    case 'self-signoff':
      return `${s} is by the commit's own author${authorEmail ? ` (${printable(authorEmail)})` : ''}, and the policy does not allow self sign-off`;
    case 'not-owner':
      return `${s} is by a senior who owns none of the commit's files in ${REVIEWERS_PATH} at the base; it counts once an owner has signed off`;
  }
  void claim;
}

export function messageProblemText(p: SignoffMessageProblem): string {
  switch (p.code) {
    case 'subject':
      return `its subject is not "AI sign-off: <n> commits" (got "${printable(p.subject).slice(0, 80)}")`;
    case 'count-mismatch':
      return `its subject counts ${p.subjectCount} commits but it has ${p.entries} AI-Signoff trailers`;
    case 'no-entries':
      return 'it has no AI-Signoff trailer';
    case 'entry':
      return `an AI-Signoff trailer is not "<patch-id> <commit-id>" (got "${printable(p.value).slice(0, 100)}")`;
    case 'reviewer-missing':
      return 'it has no Reviewed-by trailer';
    case 'reviewer-many':
      return `it has ${p.count} Reviewed-by trailers (one signer per sign-off)`;
    case 'reviewer-malformed':
      return `its Reviewed-by is not "Name <email>" (got "${printable(p.value).slice(0, 100)}")`;
    case 'mixed-verdicts':
      return 'it has both AI-Signoff and AI-Changes-Requested trailers (a record is one or the other)';
  }
}

/** One line saying why a commit is in its state. */
export function stateReason(c: CommitReview, signoffs: readonly SignoffReview[]): string {
  if (!c.needsSignoff || !c.state) return '';
  const who = c.signers.map(s => printable(s.email)).join(', ');
  if (c.state === 'signed-off') return `signed off by ${who}`;
  if (c.state === 'self-signed') {
    const others = c.signers.filter(s => s !== c.selfSigned).map(s => printable(s.email));
    return `signed by its author, a senior (${printable(c.selfSigned?.email ?? c.commit.author.email)}), whose key is in the roster; the policy allows senior-signed commits${others.length > 0 ? `; also signed off by ${others.join(', ')}` : ''}`;
  }
  const parts: string[] = [];
  if (c.state === 'changes-requested') {
    for (const claim of c.claims.filter(
      cl => cl.verdict === 'changes-requested' && cl.match === 'patch' && cl.defects.length === 0,
    ))
      parts.push(
        `${printable(claim.signer?.email ?? '?')} requested changes in ${short(claim.signoff)} (git show ${short(claim.signoff)} says what to change); a new commit changes the patch and asks for review again`,
      );
  }
  if (c.blocker === 'no-roster') parts.push(`nobody can sign off: the base has no ${ROSTER_PATH}`);
  if (c.blocker === 'patch-has-nul')
    parts.push(
      'its diff holds NUL bytes, which git patch-id does not hash: mark the file binary in .gitattributes or remove the NUL bytes',
    );
  if (c.state === 'unverified') {
    for (const claim of c.claims.filter(cl => cl.defects.length > 0)) {
      const review = signoffs.find(s => s.facts.id === claim.signoff);
      for (const d of claim.defects) {
        let text = defectText(d, claim.signoff, claim, c.commit.author.email);
        if (d === 'malformed' && review) text += `: ${review.facts.parsed.problems.map(messageProblemText).join('; ')}`;
        const sig = review?.facts.signature;
        if ((d === 'bad-signature' || d === 'unknown-signer') && sig && 'detail' in sig && sig.detail)
          text += ` (ssh-keygen: ${printable(sig.detail)})`;
        parts.push(text);
      }
    }
  }
  if (c.state === 'stale' || c.state === 'unverified') {
    for (const claim of c.claims.filter(cl => cl.match === 'stale' && cl.defects.length === 0)) {
      parts.push(
        `signed off in ${short(claim.signoff)} by ${printable(claim.signer?.email ?? '?')} for patch ${short(claim.listedPatchId ?? '')}, but the patch is now ${short(c.commit.patchId ?? '')}: it changed after the review`,
      );
    }
  }
  if (c.signers.length > 0 && c.signers.length < c.requiredSigners) {
    parts.push(`${c.signers.length} of ${c.requiredSigners} seniors signed off (${who})`);
  } else if (c.highRisk && c.state !== 'unverified') {
    parts.push(`needs ${c.requiredSigners} distinct seniors`);
  }
  if (c.selfSigned && c.signers.length < c.requiredSigners)
    parts.push(`signed by its author, a senior (${printable(c.selfSigned.email)}), which counts as one of them`);
  if (c.state === 'requested' && c.request)
    parts.push(`review requested from ${c.request.to.map(printable).join(', ')} on ${c.request.at.slice(0, 10)}`);
  if (c.state === 'pending' && parts.length === 0) parts.push('waits for a senior to sign off');
  const routing = routingText(c);
  if (routing) parts.push(routing);
  return parts.join('; ');
}

/** Who may sign an open commit, by the ownership of its files; undefined when none of them has an owner. */
export function routingText(c: CommitReview): string | undefined {
  const r = c.routing;
  if (!r || r.seniors.length === 0 || isDone(c.state)) return undefined;
  const files = (paths: readonly string[]): string =>
    `${paths.slice(0, 3).map(printable).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}`;
  const seniors = r.seniors.map(printable).join(', ');
  if (!r.enforced) return `owners (${printable(r.file)}, advisory; any senior may sign): ${seniors}`;
  const missing =
    r.uncovered.length > 0 && r.uncovered.length < r.paths.length
      ? `; still needs an owner of ${files(r.uncovered)}`
      : '';
  return `may be signed off by ${seniors} (owners of ${files(r.paths.map(p => p.path))} in ${printable(r.file)})${missing}`;
}

export function aiLinesText(c: CommitReview): string {
  const text = linesAndReason(c);
  if (!c.landedIn || c.landedIn.length === 0) return text;
  return `${text}; its lines are now also in ${c.landedIn.map(printable).join(', ')}`;
}

function linesAndReason(c: CommitReview): string {
  const a = c.commit.attribution;
  const lines =
    a.kind === 'malformed'
      ? 'AI lines unknown (malformed AI-Attribution)'
      : a.kind === 'valid'
        ? `ai=${a.attribution.ai} mixed=${a.attribution.mixed}${a.attribution.deleted ? ` deleted=${a.attribution.deleted}` : ''}`
        : a.kind === 'failed'
          ? 'AI-Attribution: hook failed'
          : 'no AI-Attribution';
  const reason = c.needReason;
  if (!reason) return lines;
  if (reason.code === 'policy-change') return `${lines}; changes ${PRODUCT.policyDir}/ (the seniors or the policy)`;
  if (reason.code === 'branch-threshold')
    return `${lines}; below minAiLines alone, but the branch has ${reason.branchAiLines} AI lines`;
  switch (reason.why) {
    case 'credited-agent':
      return `${lines}; unattested: an AI agent is credited (${[...c.commit.assistedBy, ...(c.commit.agentCoAuthors ?? [])].map(printable).join(', ')}) but AI-Attribution says no AI line`;
    case 'note-disagrees':
      return `${lines}; unattested: its line-level note records ${c.commit.noteAiLines ?? 0} AI lines`;
    case 'no-trailer':
      return `${lines}; unattested: the policy asks every commit for an AI-Attribution trailer (was it made without the hooks?)`;
    case 'signoff-with-changes':
      return `${lines}; unattested: its subject says sign-off but it changes files`;
    case 'hook-failed':
      return `${lines}; unattested: the commit hook failed, so its AI lines are not known`;
    case 'message-body':
      return `${lines}; unattested: its message names AI lines outside its trailers (a squash merge keeps the branch's trailers in the body)`;
    case 'incomplete':
      return `${lines}; unattested: the commit hook could not attribute ${c.commit.attribution.kind === 'valid' ? (c.commit.attribution.attribution.skipped ?? 0) : 0} of its files`;
  }
}

export function noteText(note: ReviewNote, base: string): string {
  switch (note.code) {
    case 'no-roster':
      return `${base} has no ${ROSTER_PATH}: nothing can be signed off until the seniors' SSH keys are listed there (OpenSSH allowed-signers format: "<email> <key-type> <key>")`;
    case 'empty-roster':
      return `${ROSTER_PATH} at ${base} lists nobody: nothing can be signed off`;
    case 'signers-exceed-roster':
      return `high-risk commits need ${note.required} distinct seniors but ${ROSTER_PATH} at ${base} has only ${note.available} keys`;
  }
}
