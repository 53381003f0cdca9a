// What `check` prints: the renderers of a branch review for each output format (docs/formats.md, command line).
// The CLI's `check` and the GitHub Action (src/action) share them.
import { PRODUCT } from '../core/product';
import { isDone, type CommitReview } from '../core/review/review';
import { escapeMarkdown, printable } from '../core/review/packet';
import type { BranchReview } from '../io/review/branch-review';
import { ROSTER_PATH } from '../io/review/base-policy';
import { aiLinesText, messageProblemText, noteText, short, stateReason } from './review-text';

export function openStates(review: BranchReview): CommitReview[] {
  return review.report.commits.filter(c => c.needsSignoff && !isDone(c.state));
}

export function renderText(review: BranchReview): string {
  const { report } = review;
  const out: string[] = [];
  const ai = report.commits.length;
  out.push(
    `AI sign-off check of ${printable(review.base.rev)}..${printable(review.head.rev)} (${short(review.base.id)}..${short(review.head.id)}): ` +
      `${review.rangeSize} ${review.rangeSize === 1 ? 'commit' : 'commits'}, ${ai} AI-assisted, ${report.needingSignoff} ${report.needingSignoff === 1 ? 'needs' : 'need'} sign-off`,
  );
  out.push(
    `policy: ${review.policySource === 'base' ? '.ai-provenance/policy.json at the base' : 'defaults (no .ai-provenance/policy.json at the base)'}`,
  );
  for (const note of report.notes) out.push(`note: ${noteText(note, printable(review.base.rev))}`);
  const width = Math.max(...report.commits.filter(c => c.needsSignoff).map(c => c.state!.length), 0);
  for (const c of report.commits) {
    if (!c.needsSignoff) continue;
    out.push(
      `  ${c.state!.padEnd(width)}  ${short(c.commit.id)}  ${printable(c.commit.subject).slice(0, 72)}  [${aiLinesText(c)}${c.highRisk ? ', high-risk' : ''}]`,
    );
    const reason = stateReason(c, report.signoffs);
    if (reason) out.push(`  ${' '.repeat(width)}  ${reason}`);
  }
  const open = openStates(review);
  if (report.ok) {
    out.push(
      report.needingSignoff === 0
        ? 'OK: no AI change in this range needs sign-off.'
        : `OK: all ${report.needingSignoff} AI-assisted commits that need sign-off are signed off.`,
    );
  } else {
    out.push(`FAILED: ${open.length} of ${report.needingSignoff} AI-assisted commits are not signed off.`);
    out.push(
      report.notes.some(n => n.code === 'no-roster' || n.code === 'empty-roster')
        ? `Add the seniors to ${ROSTER_PATH} on ${printable(review.base.rev)} first.`
        : `A senior listed in ${ROSTER_PATH} signs off with: ${PRODUCT.cli} sign-off --base ${printable(review.base.rev)}`,
    );
  }
  return `${out.join('\n')}\n`;
}

export function toJson(review: BranchReview): unknown {
  const { report } = review;
  return {
    version: 1,
    ok: report.ok,
    base: { rev: review.base.rev, commit: review.base.id },
    head: { rev: review.head.rev, commit: review.head.id },
    policy: { source: review.policySource, signoff: review.policy.signoff },
    roster: { present: review.roster !== undefined, keys: review.roster?.signerCapacity() ?? 0 },
    // Who owns which paths at the base: .ai-provenance/reviewers (enforced) or CODEOWNERS (advisory); null: neither.
    owners: review.ownership
      ? {
          source: review.ownership.source,
          file: review.ownership.file,
          enforced: review.ownership.source === 'reviewers',
        }
      : null,
    // Where the review profile reads AI lines from: always the trailers (kept for readers of version 1).
    lineSource: 'trailers',
    summary: {
      commits: review.rangeSize,
      aiCommits: report.commits.length,
      needSignoff: report.needingSignoff,
      ...report.counts,
    },
    notes: report.notes,
    commits: report.commits.map(c => ({
      commit: c.commit.id,
      subject: c.commit.subject,
      author: c.commit.author,
      patchId: c.commit.patchId ?? null,
      attribution: c.commit.attribution.kind === 'valid' ? c.commit.attribution.attribution : null,
      attributionError: c.commit.attribution.kind === 'malformed' ? c.commit.attribution.reason : null,
      assistedBy: c.commit.assistedBy,
      aiLines: c.aiLines ?? null,
      needsSignoff: c.needsSignoff,
      notNeeded: c.notNeeded ?? null,
      state: c.state ?? null,
      reason: c.needsSignoff ? stateReason(c, report.signoffs) : null,
      highRisk: c.highRisk,
      highRiskPaths: c.highRiskPaths,
      landedIn: c.landedIn ?? [],
      requiredSigners: c.requiredSigners,
      signers: c.signers,
      claims: c.claims,
      blocker: c.blocker ?? null,
      paths: c.commit.paths ?? null,
      request: c.request ?? null,
      needReason: c.needReason ?? null,
      noteAiLines: c.commit.noteAiLines ?? null,
      agentCoAuthors: c.commit.agentCoAuthors ?? [],
      touchesPolicy: c.commit.touchesPolicy === true,
      routing: c.routing ?? null,
      selfSigned: c.selfSigned ?? null,
    })),
    signoffs: report.signoffs.map(s => ({
      commit: s.facts.id,
      subject: s.facts.subject,
      reviewer: s.facts.parsed.reviewer ?? null,
      // Since 0.2: "signoff", or "changes-requested" for a request for changes (valid: verified; it never signs off).
      verdict: s.facts.parsed.verdict,
      entries: s.facts.parsed.entries,
      problems: s.facts.parsed.problems.map(p => ({ ...p, message: messageProblemText(p) })),
      signature: s.facts.signature,
      valid: s.defects.length === 0,
      defects: s.defects,
      signer: s.signer ?? null,
      covers: s.covers,
    })),
  };
}

/** GitHub workflow command escaping (the runner's toCommandValue/escapeProperty). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(review: BranchReview): string {
  const out: string[] = [];
  for (const c of openStates(review)) {
    const file = c.highRiskPaths[0] ?? c.commit.aiPaths?.find(p => p.aiLines > 0)?.path ?? c.commit.paths?.[0];
    const props = [
      ...(file ? [`file=${escapeProperty(printable(file))}`] : []),
      `title=${escapeProperty(`AI sign-off ${c.state}: ${short(c.commit.id)}`)}`,
    ];
    const message = `${printable(c.commit.subject)} (${aiLinesText(c)}): ${stateReason(c, review.report.signoffs)}`;
    out.push(`::error ${props.join(',')}::${escapeData(message)}`);
  }
  for (const note of review.report.notes)
    out.push(`::warning title=AI sign-off::${escapeData(noteText(note, printable(review.base.rev)))}`);
  return `${out.join('\n')}${out.length ? '\n' : ''}${renderText(review)}`;
}

export function renderSummary(review: BranchReview): string {
  const { report } = review;
  const out: string[] = ['## AI sign-off check', ''];
  out.push(
    report.ok
      ? `**Passed**: ${report.needingSignoff === 0 ? 'no AI change needs sign-off' : `all ${report.needingSignoff} AI-assisted commits that need sign-off are signed off`}.`
      : `**Failed**: ${openStates(review).length} of ${report.needingSignoff} AI-assisted commits are not signed off.`,
  );
  out.push('');
  out.push(
    `Base \`${short(review.base.id)}\` (${escapeMarkdown(review.base.rev)}), head \`${short(review.head.id)}\`; ${review.rangeSize} commits, ${report.commits.length} AI-assisted.`,
  );
  for (const note of report.notes) out.push('', `> ${escapeMarkdown(noteText(note, review.base.rev))}`);
  const needing = report.commits.filter(c => c.needsSignoff);
  if (needing.length > 0) {
    out.push('', '| State | Commit | Subject | Author | AI lines | Details |', '| --- | --- | --- | --- | --- | --- |');
    for (const c of needing) {
      out.push(
        `| ${c.state} | \`${short(c.commit.id)}\` | ${escapeMarkdown(c.commit.subject)} | ${escapeMarkdown(c.commit.author.name)} | ${escapeMarkdown(aiLinesText(c))}${c.highRisk ? ' (high-risk)' : ''} | ${escapeMarkdown(stateReason(c, report.signoffs))} |`,
      );
    }
  }
  if (!report.ok)
    out.push(
      '',
      `A senior listed in \`${ROSTER_PATH}\` signs off with \`${PRODUCT.cli} sign-off --base ${escapeMarkdown(review.base.rev)}\`.`,
    );
  return `${out.join('\n')}\n\n`;
}
