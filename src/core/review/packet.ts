import type { CommitReview, ReviewRequest } from './review';

/**
 * The review packet of docs/review.md: markdown a senior reads before signing off (commits, files, AI line
 * ranges where known, tools, models). Used by `ai-provenance request-review` and by the extension's "Request senior
 * review". Every value from a commit is escaped: a subject cannot inject markup, links or HTML.
 */

/**
 * Escapes text for markdown prose and table cells, by construction: every ASCII punctuation character is
 * backslash-escaped (CommonMark renders an escaped punctuation character as itself), and `<`, `>`, `&` become
 * entities. No emphasis, link, autolink (`https\://`, `www\.`, `a\@b`), HTML, heading, list or table break can
 * come out of it, whatever a commit subject or file name holds.
 */
export function escapeMarkdown(text: string): string {
  return printable(text).replace(/[!-/:-@[-`{-~]/g, c =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
  );
}

/**
 * Characters a reader cannot see or that reorder what they see: control characters (terminal escapes, NUL, CR),
 * bidirectional overrides and isolates (a "Trojan Source" file name or subject), zero-width characters, line and
 * paragraph separators. Each is shown as its code (`\x1b`, `\u202e`) so a senior sees that it is there.
 */
export function printable(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
      .replace(
        // Listed by code on purpose, combining variation selectors included: each one found is made visible.
        // eslint-disable-next-line no-misleading-character-class
        /[\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g,
        c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      )
      .replace(/\n/g, ' ')
  );
}

/** A path in a code span, safe whatever it holds: a fence longer than any run of backticks in it. */
function code(text: string): string {
  const clean = printable(text);
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

function short(id: string): string {
  return id.slice(0, 12);
}

function lineSummary(c: CommitReview): string {
  const a = c.commit.attribution;
  if (a.kind === 'malformed') return `unreadable AI-Attribution (${escapeMarkdown(a.reason)})`;
  if (a.kind === 'failed') return 'unknown: the commit hook failed';
  const unattested = c.needReason?.code === 'unattested' ? ' (unattested: see check)' : '';
  const policy = c.needReason?.code === 'policy-change' ? ' (changes .ai-provenance/)' : '';
  if (a.kind !== 'valid') return `no AI-Attribution${unattested}${policy}`;
  const { ai, mixed, added, skipped, deleted } = a.attribution;
  const missing = skipped ? `, ${skipped} files not attributed` : '';
  const removed = deleted ? `, ${deleted} removed by AI` : '';
  return `${ai} AI + ${mixed} mixed of ${added} added${removed}${missing}${unattested}${policy}`;
}

/** `3-5 (claude-code/agent), 9 (copilot/chat)`, every value escaped. */
function rangeList(
  ranges: readonly { start: number; end: number; tool?: string; kind?: string; model?: string }[],
): string {
  return ranges
    .map(
      r =>
        `${r.start}${r.end !== r.start ? `-${r.end}` : ''}${r.tool ? ` (${escapeMarkdown([r.tool, r.kind, r.model].filter(Boolean).join('/'))})` : ''}`,
    )
    .join(', ');
}

function tools(c: CommitReview): string {
  const a = c.commit.attribution;
  if (a.kind !== 'valid' || a.attribution.tools.length === 0) return '-';
  return a.attribution.tools.map(t => `${t.tool}/${t.kind}: ${t.lines}`).join(', ');
}

export interface PacketInput {
  /** What the packet covers: the commits that wait for sign-off. */
  commits: readonly CommitReview[];
  base: { rev: string; id: string };
  head: { rev: string; id: string };
  request?: ReviewRequest;
  /** The branch name, when HEAD is on one. */
  branch?: string;
  /** How a senior signs off, e.g. `ai-provenance sign-off --base origin/main`. */
  signoffCommand: string;
}

export function renderReviewPacket(input: PacketInput): string {
  const { commits } = input;
  const out: string[] = [];
  const n = commits.length;
  out.push(
    `# AI sign-off requested: ${n} ${n === 1 ? 'commit' : 'commits'}${input.branch ? ` on ${code(input.branch)}` : ''}`,
  );
  out.push('');
  out.push(
    `Base ${code(input.base.rev)} (${short(input.base.id)}), head ${code(input.head.rev)} (${short(input.head.id)}).`,
  );
  if (input.request) {
    const by = input.request.by ? ` by ${escapeMarkdown(input.request.by)}` : '';
    out.push(
      `Requested${by} from ${input.request.to.map(escapeMarkdown).join(', ')} on ${escapeMarkdown(input.request.at)}.`,
    );
  }
  out.push('');
  if (n === 0) {
    out.push('Nothing waits for sign-off.');
    return `${out.join('\n')}\n`;
  }
  out.push('| Commit | Subject | Author | AI lines | Tools | High-risk | State |');
  out.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const c of commits) {
    const risk = c.highRisk ? `yes, needs ${c.requiredSigners}` : 'no';
    out.push(
      `| ${code(short(c.commit.id))} | ${escapeMarkdown(c.commit.subject)} | ${escapeMarkdown(c.commit.author.name)} | ${lineSummary(c)} | ${escapeMarkdown(tools(c))} | ${risk} | ${c.state ?? '-'} |`,
    );
  }
  for (const c of commits) {
    out.push('');
    out.push(`## ${code(short(c.commit.id))} ${escapeMarkdown(c.commit.subject)}`);
    out.push('');
    out.push(`- Author: ${escapeMarkdown(c.commit.author.name)} &lt;${escapeMarkdown(c.commit.author.email)}&gt;`);
    out.push(`- Commit: ${code(c.commit.id)}`);
    if (c.commit.patchId) out.push(`- Patch id: ${code(c.commit.patchId)}`);
    out.push(`- AI lines: ${lineSummary(c)}; tools: ${escapeMarkdown(tools(c))}`);
    if (c.commit.assistedBy.length > 0)
      out.push(`- Assisted-by (agents and models): ${c.commit.assistedBy.map(escapeMarkdown).join(', ')}`);
    if (c.highRisk)
      out.push(
        `- High-risk paths: ${c.highRiskPaths.map(code).join(', ')} (needs ${c.requiredSigners} distinct seniors)`,
      );
    if (c.signers.length > 0)
      out.push(`- Signed off so far by: ${c.signers.map(s => escapeMarkdown(s.email)).join(', ')}`);
    const perFile = new Map((c.commit.aiPaths ?? []).map(p => [p.path, p]));
    const files = c.commit.aiPaths ? c.commit.aiPaths.map(p => p.path) : (c.commit.paths ?? []);
    if (files.length > 0) {
      out.push(
        c.commit.aiPaths
          ? '- Files with AI lines:'
          : '- Files changed (line-level AI data not recorded for this commit):',
      );
      for (const file of files) {
        const known = perFile.get(file);
        const ranges = known?.ranges?.length
          ? `: lines ${rangeList(known.ranges)}`
          : known && known.aiLines > 0
            ? `: ${known.aiLines} AI lines`
            : known?.removed
              ? ':'
              : '';
        const removed = known?.removed?.length
          ? `${ranges.endsWith(':') ? '' : ';'} removed by AI: lines ${rangeList(known.removed)} of the parent's version`
          : '';
        out.push(`  - ${code(file)}${ranges}${removed}`);
      }
    }
  }
  out.push('');
  out.push(`To sign off, a senior listed in \`.ai-provenance/allowed_signers\` runs \`${input.signoffCommand}\`.`);
  return `${out.join('\n')}\n`;
}
