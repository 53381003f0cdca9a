import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PRODUCT } from '../../core/product';
import { describeError, StateStoreError, writeFileAtomic } from '../../io/store/atomic-file';
import { locateRepository } from '../../io/git/repository';
import { readReviewRequests } from '../../io/review/requests';
import { reviewBranch } from '../../io/review/branch-review';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit';
import { parseOptions, revision, single } from '../parse-args';
import { renderGithub, renderSummary, renderText } from '../check-report';
import { REPORT_FORMATS, renderReport, type ReportFormat, type ReportRun } from '../ci-reports';
import { toolVersion } from '../version';

const help = `Usage: ${PRODUCT.cli} check --base REV [--head REV] [--format text|json|github]
       ${PRODUCT.cli} check --base REV [--head REV] [--format gitlab|junit|sarif] [--output FORMAT=FILE]...

The CI gate: checks that every AI-assisted commit in REV..HEAD that needs a senior's sign-off has one.

A commit needs sign-off when its AI-Attribution trailer shows AI lines the policy does not ignore. It is signed
off when an empty sign-off commit later on the branch lists its patch id (git patch-id --verbatim) and is SSH-signed
by a senior listed in .ai-provenance/allowed_signers who is not its author; high-risk commits need the policy's
number of distinct seniors. The policy and the roster are read from the BASE revision, never from the branch.
States: pending, requested, signed-off, self-signed (the policy's signoff.seniorSignedCommits: a senior's own
commit, SSH-signed with their roster key), stale (the patch changed after the sign-off), unverified (a sign-off
that does not count). With .ai-provenance/reviewers at the base, only the owners of a commit's files may sign it
off; with a CODEOWNERS, its senior owners are proposed. Each waiting commit says who may sign it.

Options:
  --base REV       the branch's base, e.g. origin/main (required)
  --head REV       the tip to check (default HEAD)
  --format FORMAT  what standard output gets:
                     text     the readable report (default)
                     json     the review as JSON ("version": 1)
                     github   ::error annotations, then the text report; also appends a markdown job summary
                              to the file named by $GITHUB_STEP_SUMMARY
                     gitlab   a GitLab Code Quality report (JSON; artifacts:reports:codequality)
                     junit    JUnit XML (artifacts:reports:junit in GitLab; Jenkins, Azure DevOps, Bitbucket)
                     sarif    SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)
  --output FORMAT=FILE
                   also write a report to FILE (FORMAT: json, gitlab, junit or sarif), after the check and
                   whatever its result; repeat it for several files, e.g.
                     --output junit=ai-signoff.xml --output gitlab=gl-code-quality-report.json
                   FILE is relative to the current folder (or -C DIR); its folder must exist. Each file is
                   replaced whole or not at all; when the check cannot run (exit 2 or 3) no file is written.

CI needs the full history of the branch and the base: in GitHub Actions, actions/checkout with fetch-depth: 0;
in GitLab CI, GIT_DEPTH: "0". Recipes for GitLab, Jenkins, Azure DevOps and Bitbucket: docs/ci.md.

Exit codes: 0 every AI change is signed off; 1 some are not (each listed with its state); 2 bad usage or a bad
policy or roster (the message names the key or line), or a report file that cannot be written; 3 git cannot
answer (unknown base, shallow clone; the message says how to fix it) or ssh-keygen is missing.
`;

const FORMATS = ['text', 'json', 'github', 'gitlab', 'junit', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** A report `--output FORMAT=FILE` asks for; `file` is absolute. */
interface Output {
  format: ReportFormat;
  file: string;
}

const EXAMPLE_FILE: Record<ReportFormat, string> = {
  json: 'ai-signoff.json',
  gitlab: 'gl-code-quality-report.json',
  junit: 'ai-signoff.xml',
  sarif: 'ai-signoff.sarif',
};

/** The --output values, checked before the review runs: a mistake costs no time and writes nothing. */
function parseOutputs(values: readonly string[], cwd: string): Output[] {
  const outputs: Output[] = [];
  const formats = REPORT_FORMATS.join(', ');
  for (const value of values) {
    const at = value.indexOf('=');
    if (at < 0)
      throw new UsageError(
        `--output takes FORMAT=FILE, e.g. --output junit=ai-signoff.xml (got "${value}"; FORMAT is one of ${formats})`,
      );
    const format = value.slice(0, at);
    const name = value.slice(at + 1);
    if (!(REPORT_FORMATS as readonly string[]).includes(format))
      throw new UsageError(
        `--output ${value}: unknown report format "${format}"; use one of ${formats}, e.g. --output junit=ai-signoff.xml`,
      );
    const reportFormat = format as ReportFormat;
    if (name === '')
      throw new UsageError(
        `--output ${value}: the file name is missing after "="; e.g. --output ${format}=${EXAMPLE_FILE[reportFormat]}`,
      );
    const file = path.resolve(cwd, name);
    if (outputs.some(o => o.file === file))
      throw new UsageError(`--output names ${file} twice; give each report a file of its own`);
    checkWritable(file, value);
    outputs.push({ format: reportFormat, file });
  }
  return outputs;
}

/** Refuses a file that cannot be written: its folder missing or not a folder, not writable, or FILE a folder. */
function checkWritable(file: string, value: string): void {
  const dir = path.dirname(file);
  const cannot = (why: string, fix: string): UsageError =>
    new UsageError(`--output ${value}: cannot write ${file}: ${why}; ${fix}`);
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch {
    throw cannot(`the folder ${dir} does not exist`, 'create it first (mkdir -p) or name a file in an existing folder');
  }
  if (!dirStat.isDirectory()) throw cannot(`${dir} is not a folder`, 'name a file in a folder');
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw cannot(`the folder ${dir} is not writable`, 'name a file in a folder you can write to');
  }
  let target: fs.Stats | undefined;
  try {
    target = fs.statSync(file);
  } catch {
    // a new file
  }
  if (target?.isDirectory()) throw cannot('it is a folder', 'name a file, e.g. a path ending in the file name');
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'CI gate: exit 1 unless every AI-assisted commit in BASE..HEAD is signed off by a senior',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const parsed = parseOptions('check', args, {
      values: { base: {}, head: {}, format: {}, output: { repeat: true } },
    });
    const base = revision(single(parsed, 'base'), '--base');
    if (!base)
      throw new UsageError(
        `check needs --base REV (the branch's base, e.g. --base origin/main); run '${PRODUCT.cli} check --help'`,
      );
    const head = revision(single(parsed, 'head'), '--head');
    const format = (single(parsed, 'format') ?? 'text') as Format;
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`);
    const outputs = parseOutputs(parsed.values.get('output') ?? [], context.cwd);
    const startedAt = new Date();
    const started = performance.now();
    const location = await locateRepository(context.cwd, { logger: context.logger });
    const requests = await readReviewRequests(location, context.logger).catch(error => {
      context.logger.warn(`could not read review requests: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    });
    const review = await reviewBranch({
      cwd: context.cwd,
      location,
      base,
      ...(head ? { head } : {}),
      logger: context.logger,
      requests,
      // Annotations and CI reports point at the commits' files.
      withPaths: !['text', 'json'].includes(format) || outputs.some(o => o.format !== 'json'),
    });
    const run: ReportRun = {
      version: toolVersion(),
      startedAt,
      seconds: (performance.now() - started) / 1000,
      hostname: os.hostname(),
    };
    if (format === 'text') context.stdout.write(renderText(review));
    else if (format === 'github') {
      context.stdout.write(renderGithub(review));
      const summaryFile = process.env.GITHUB_STEP_SUMMARY;
      if (summaryFile) {
        try {
          fs.appendFileSync(summaryFile, renderSummary(review));
        } catch (error) {
          context.logger.warn(
            `could not write the job summary to ${summaryFile}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    } else context.stdout.write(renderReport(format, review, run));
    for (const output of outputs) {
      try {
        await writeFileAtomic(output.file, renderReport(output.format, review, run), { mode: 0o644 });
      } catch (error) {
        throw new UsageError(
          `could not write the ${output.format} report to ${output.file}: ${describeError(error instanceof StateStoreError ? error.cause : error)}; name a file in a folder you can write to`,
        );
      }
    }
    return review.report.ok ? ExitCode.Ok : ExitCode.Found;
  },
};
