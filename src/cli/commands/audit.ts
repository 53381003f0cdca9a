import * as crypto from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { PRODUCT } from '../../core/product';
import { auditCharts } from '../../core/review/audit-charts';
import { renderAuditHtml } from '../../core/review/audit-html';
import { auditDocument } from '../../core/review/audit-document';
import { auditBranch } from '../../io/review/audit';
import type { Command, CommandContext } from '../command';
import { EnvironmentError, ExitCode, UsageError } from '../exit';
import { parseOptions, revision, single } from '../parse-args';
import { describeException, renderAuditCsv, renderAuditMarkdown, renderAuditText } from '../audit-report';

const FORMATS = ['text', 'json', 'csv', 'md', 'html'] as const;
type Format = (typeof FORMATS)[number];

const help = `Usage: ${PRODUCT.cli} audit [--branch REV] [--since DATE] [--until DATE] [--format text|json|csv|md|html]

Shows that the rule was kept on a branch: every change that reached it in the period (each commit of its
first-parent history, with the commits a merge brought), its AI lines by tool, whether it needed a senior's
sign-off under the policy of its base, the sign-off and whether its signature verifies against the roster of
that base, and the exceptions: no sign-off, a sign-off that does not verify or whose key is not a senior's, code
that changed after it was signed, commits made without the provenance hooks where the policy asks for them.

Any merge style: merge commits and fast-forwards keep the pull request's commits and sign-offs in the history; a
rebased commit is matched to its sign-off by patch id; a squash commit is matched to the kept branch whose whole
change it is. Kept evidence lives under refs/ai-provenance/: 'sign-off' keeps each sign-off there,
'${PRODUCT.cli} notes push' sends it, and '${PRODUCT.cli} notes fetch' brings it and the pull request heads the
forge keeps. Fetch it before an audit. See docs/audit.md.

Options:
  --branch REV     the branch to audit (default: origin/HEAD, origin/main, origin/master, main or master, else HEAD)
  --since DATE     only changes that landed on or after DATE (YYYY-MM-DD, UTC, or an ISO 8601 time)
  --until DATE     only changes that landed on or before DATE (a day includes all of it)
  --format FORMAT  text (default), json (the audit document, "version": 1), csv (one row per change), md, or
                   html: one self-contained page with plots (AI share of added lines over time, by tool, model and
                   folder; sign-off coverage over time; time to sign-off; each senior's review load) that needs
                   no network to view, e.g. ${PRODUCT.cli} audit --format html > audit.html

Needs the branch's whole history (not a shallow clone).

Exit codes: 0 no exception; 1 at least one exception (listed); 2 bad usage; 3 git cannot answer (unknown branch,
shallow clone: the message says how to fix it) or ssh-keygen is missing.
`;

/**
 * Seconds since the epoch of a --since/--until value: a bare date is the start (or, for until, the end) of that UTC
 * day; a time must say its zone. A date that does not exist (2026-02-30) is refused, not rolled over.
 */
function parseDate(value: string, option: string, endOfDay: boolean): number {
  const refuse = (): never => {
    throw new UsageError(
      `${option} takes a date, YYYY-MM-DD (UTC) or an ISO 8601 time with its zone such as 2026-03-31T18:00:00Z (got "${value}")`,
    );
  };
  const day = /^(\d{4}-\d{2}-\d{2})$/.exec(value);
  const time = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!day && !time) return refuse();
  const date = (day ?? time)![1]!;
  const ms = Date.parse(day ? `${date}T00:00:00Z` : value);
  if (Number.isNaN(ms) || new Date(Date.parse(`${date}T00:00:00Z`)).toISOString().slice(0, 10) !== date)
    return refuse();
  return Math.floor(ms / 1000) + (day && endOfDay ? 86_399 : 0);
}

/** Chart.js as the build put it beside the CLI's bundle (scripts/build.mjs). */
async function readChartJs(): Promise<string> {
  const file = path.join(__dirname, 'chart.umd.min.js');
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (error) {
    throw new EnvironmentError(
      `the HTML report needs ${file}, which is missing (${(error as NodeJS.ErrnoException).code ?? String(error)}): reinstall ${PRODUCT.npmPackage}, or rebuild (npm run build)`,
    );
  }
}

export const auditCommand: Command = {
  name: 'audit',
  summary: "show that every AI-assisted change that reached a branch had a senior's sign-off",
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const parsed = parseOptions('audit', args, { values: { branch: {}, since: {}, until: {}, format: {} } });
    const format = (single(parsed, 'format') ?? 'text') as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`--format takes one of ${FORMATS.join(', ')} (got "${format}")`);
    const sinceText = single(parsed, 'since');
    const untilText = single(parsed, 'until');
    const since = sinceText !== undefined ? parseDate(sinceText, '--since', false) : undefined;
    const until = untilText !== undefined ? parseDate(untilText, '--until', true) : undefined;
    if (since !== undefined && until !== undefined && since > until)
      throw new UsageError(`--since (${sinceText}) is after --until (${untilText})`);
    const report = await auditBranch({
      cwd: context.cwd,
      branch: revision(single(parsed, 'branch'), '--branch'),
      since,
      until,
      logger: context.logger,
    });
    const doc = auditDocument(report, describeException);
    const out =
      format === 'html'
        ? renderAuditHtml(doc, auditCharts(doc), {
            chartJs: { inline: await readChartJs() },
            nonce: crypto.randomBytes(18).toString('base64'),
            generatedAt: new Date().toISOString(),
          })
        : format === 'json'
          ? JSON.stringify(doc, null, 2) + '\n'
          : format === 'csv'
            ? renderAuditCsv(doc)
            : format === 'md'
              ? renderAuditMarkdown(doc)
              : renderAuditText(doc);
    context.stdout.write(out);
    return doc.totals.exceptions > 0 ? ExitCode.Found : ExitCode.Ok;
  },
};
