import type { AuditException, AuditedChange } from '../core/review/audit';
import type { AuditChange, AuditDocument } from '../core/review/audit-document';
import { escapeMarkdown, printable } from '../core/review/packet';
import { PRODUCT } from '../core/product';
import { aiLinesText, short, stateReason } from './review-text';
import { ROSTER_PATH } from '../io/review/base-policy';

/** The audit's text, CSV and markdown renderings, all drawn from the audit document (the JSON). */

/** One exception in words: what is missing and why. */
export function describeException(change: AuditedChange, e: AuditException): string {
  const reviews = change.reviews;
  const c = reviews.flatMap(r => r.commits).find(x => x.commit.id === e.commit);
  const signoffs = reviews.flatMap(r => r.signoffs);
  const about = c ? `${short(c.commit.id)} (${aiLinesText(c)})` : short(e.commit ?? change.id);
  switch (e.code) {
    case 'bad-policy':
      return `the policy at its base does not read, so nothing there could be judged: ${printable(change.policyProblem ?? '')}`;
    case 'no-roster':
      return `${about}: its base had no ${ROSTER_PATH}, so no senior could sign it off`;
    case 'evidence-mismatch':
      return `${about}: its message says an AI took part, but the kept branch whose change it is has no AI commit a senior signed off`;
    case 'no-provenance':
      return `${about}: made without the provenance hooks (the policy asks every commit for an AI-Attribution trailer), and no senior signed it off`;
    case 'stale':
      if (change.via === 'kept-branch' && e.commit === change.id)
        return `${short(change.id)}: the branch it squashes was signed off, but not as it was merged: no sign-off records this whole change (commits came after the last one); a senior signs off again before the merge, or merge with a merge commit`;
      return `${about}: ${c ? stateReason(c, signoffs) : e.code}`;
    case 'late-signoff':
      return `${about}: signed off only after it reached the branch (${c ? stateReason(c, signoffs) : 'signed later'}); the rule asks for the sign-off before the merge`;
    case 'no-signoff':
      if (c?.notNeeded === 'below-threshold')
        return `${about}: below minAiLines alone, but with the commits the same author put on the branch around it, one after the other (which a history of fast-forwards cannot tell apart from one branch), the AI lines reach it; no sign-off found`;
      return `${about}: no sign-off found${change.kind === 'commit' && change.via === 'history' ? ' (if it was squash-merged, fetch the kept evidence: ' + PRODUCT.cli + ' notes fetch)' : ''}${c && c.state === 'requested' ? `; ${stateReason(c, signoffs)}` : ''}`;
    default:
      return `${about}: ${c ? stateReason(c, signoffs) : e.code}`;
  }
}

const date = (iso: string): string => iso.slice(0, 10);

function toolsText(tools: Record<string, number>): string {
  return Object.entries(tools)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${k}:${n}`)
    .join(',');
}

function changeLabel(c: AuditChange): string {
  const how = c.kind === 'merge' ? 'merge' : c.via === 'kept-branch' ? 'squash' : 'commit';
  return `${date(c.landedAt)}  ${short(c.id)}  ${how.padEnd(6)}`;
}

function signersText(c: AuditChange): string {
  const valid = c.signoffs.filter(s => s.defects.length === 0 && s.reviewer);
  return [...new Set(valid.map(s => s.reviewer!.email))].map(printable).join(', ');
}

export function renderAuditText(doc: AuditDocument): string {
  const t = doc.totals;
  const period =
    doc.since || doc.until
      ? ` from ${doc.since ? date(doc.since) : 'the start'} to ${doc.until ? date(doc.until) : 'now'}`
      : '';
  const lines = [
    `Audit of ${printable(doc.branch.rev)} (${short(doc.branch.id)})${period}: ${t.changes} ${t.changes === 1 ? 'change' : 'changes'}, ` +
      `${t.aiAssisted} AI-assisted, ${t.needSignoff} needed a senior's sign-off, ${t.signedOff} signed off, ${t.exceptions} ${t.exceptions === 1 ? 'exception' : 'exceptions'}.`,
    `AI lines: ${t.aiLines + t.mixedLines} added (ai=${t.aiLines} mixed=${t.mixedLines}) and ${t.deletedByAi} removed; the changes added ${t.linesAdded} lines in all.`,
    doc.keptRefs > 0
      ? `Kept evidence read: ${doc.keptRefs} refs under refs/ai-provenance/.`
      : `No kept evidence here (refs/ai-provenance/): changes that were squash-merged are judged on their own message. Run '${PRODUCT.cli} notes fetch' first.`,
  ];
  const exceptions = doc.changes.filter(c => c.status === 'exception');
  if (exceptions.length > 0) {
    lines.push('', 'Exceptions:');
    for (const c of exceptions) {
      lines.push(`  ${changeLabel(c)}  ${printable(c.subject)}`);
      for (const e of c.exceptions) lines.push(`      ${e.code}: ${e.detail}`);
    }
  }
  const ai = doc.changes.filter(c => c.aiAssisted && c.status !== 'exception');
  if (ai.length > 0) {
    lines.push('', 'AI-assisted changes:');
    for (const c of ai) {
      const who = signersText(c);
      const state = c.status === 'signed-off' ? `signed off by ${who}` : 'no sign-off needed';
      lines.push(
        `  ${changeLabel(c)}  ai=${c.aiLines} mixed=${c.mixedLines} deleted=${c.deletedByAi}  ${toolsText(c.tools) || '-'}  ${state}  ${printable(c.subject)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** A CSV field: quoted when needed, and a leading = + - @ made inert for spreadsheets (formula injection). */
function csvField(value: string | number | boolean): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const AUDIT_CSV_COLUMNS = [
  'landed_at',
  'change',
  'kind',
  'via',
  'status',
  'subject',
  'author_email',
  'ai_assisted',
  'needs_signoff',
  'added',
  'ai_lines',
  'mixed_lines',
  'deleted_by_ai',
  'tools',
  'models',
  'signers',
  'signed_at',
  'exceptions',
] as const;

/** One row per change that reached the branch. */
export function renderAuditCsv(doc: AuditDocument): string {
  const rows = [AUDIT_CSV_COLUMNS.join(',')];
  for (const c of doc.changes) {
    const valid = c.signoffs.filter(s => s.defects.length === 0);
    rows.push(
      [
        c.landedAt,
        c.id,
        c.kind,
        c.via,
        c.status,
        c.subject,
        c.author.email,
        c.aiAssisted,
        c.needsSignoff,
        c.added,
        c.aiLines,
        c.mixedLines,
        c.deletedByAi,
        toolsText(c.tools),
        c.models.join(' '),
        [...new Set(valid.map(s => s.reviewer?.email ?? ''))].join(' '),
        valid.map(s => s.signedAt ?? '').join(' '),
        c.exceptions.map(e => e.code).join(' '),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

export function renderAuditMarkdown(doc: AuditDocument): string {
  const t = doc.totals;
  const md = escapeMarkdown;
  const out = [
    `# AI sign-off audit: ${md(doc.branch.rev)}`,
    '',
    `Branch ${md(doc.branch.rev)} at \`${doc.branch.id}\`` +
      (doc.since || doc.until
        ? `, changes that landed from ${doc.since ?? 'the start'} to ${doc.until ?? 'now'}`
        : '') +
      '.',
    '',
    '| changes | AI-assisted | needed sign-off | signed off | exceptions | AI lines | removed by AI |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${t.changes} | ${t.aiAssisted} | ${t.needSignoff} | ${t.signedOff} | ${t.exceptions} | ${t.aiLines} | ${t.deletedByAi} |`,
  ];
  const exceptions = doc.changes.filter(c => c.status === 'exception');
  out.push('', '## Exceptions', '');
  if (exceptions.length === 0) out.push('None: every AI-assisted change that needed a sign-off had one.');
  for (const c of exceptions) {
    out.push(`- ${date(c.landedAt)} \`${short(c.id)}\` ${md(c.subject)}`);
    for (const e of c.exceptions) out.push(`  - **${e.code}**: ${md(e.detail)}`);
  }
  const ai = doc.changes.filter(c => c.aiAssisted);
  out.push('', '## AI-assisted changes', '');
  if (ai.length === 0) out.push('None.');
  else {
    out.push(
      '| landed | change | how | status | AI lines | removed | tools | signed off by |',
      '| --- | --- | --- | --- | ---: | ---: | --- | --- |',
    );
    for (const c of ai) {
      const how = c.kind === 'merge' ? 'merge' : c.via === 'kept-branch' ? 'squash' : 'commit';
      out.push(
        `| ${date(c.landedAt)} | \`${short(c.id)}\` ${md(c.subject)} | ${how} | ${c.status} | ${c.aiLines} | ${c.deletedByAi} | ${md(toolsText(c.tools))} | ${md(signersText(c))} |`,
      );
    }
  }
  return out.join('\n') + '\n';
}
