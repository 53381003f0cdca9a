import * as fs from 'node:fs';
import { PRODUCT } from '../../core/product';
import { locateRepository } from '../../io/git/repository';
import { readReviewRequests } from '../../io/review/requests';
import { reviewBranch } from '../../io/review/branch-review';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit';
import { parseOptions, revision, single } from '../parse-args';
import { renderGithub, renderSummary, renderText, toJson } from '../check-report';

const help = `Usage: ${PRODUCT.cli} check --base REV [--head REV] [--format text|json|github]

The CI gate: checks that every AI-assisted commit in REV..HEAD that needs a senior's sign-off has one.

A commit needs sign-off when its AI-Attribution trailer shows AI lines the policy does not ignore. It is signed
off when an empty sign-off commit later on the branch lists its patch id (git patch-id --verbatim) and is SSH-signed
by a senior listed in .ai-provenance/allowed_signers who is not its author; high-risk commits need the policy's
number of distinct seniors. The policy and the roster are read from the BASE revision, never from the branch.
States: pending, requested, signed-off, stale (the patch changed after the sign-off), unverified (a sign-off that
does not verify).

Options:
  --base REV       the branch's base, e.g. origin/main (required)
  --head REV       the tip to check (default HEAD)
  --format FORMAT  text (default), json, or github: ::error annotations on stdout and a markdown job summary
                   appended to the file named by $GITHUB_STEP_SUMMARY

CI needs the full history of the branch and the base: in GitHub Actions, actions/checkout with fetch-depth: 0.

Exit codes: 0 every AI change is signed off; 1 some are not (each listed with its state); 2 bad usage or a bad
policy or roster (the message names the key or line); 3 git cannot answer (unknown base, shallow clone; the
message says how to fix it) or ssh-keygen is missing.
`;

type Format = 'text' | 'json' | 'github';

export const checkCommand: Command = {
  name: 'check',
  summary: 'CI gate: exit 1 unless every AI-assisted commit in BASE..HEAD is signed off by a senior',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const parsed = parseOptions('check', args, { values: { base: {}, head: {}, format: {} } });
    const base = revision(single(parsed, 'base'), '--base');
    if (!base)
      throw new UsageError(
        `check needs --base REV (the branch's base, e.g. --base origin/main); run '${PRODUCT.cli} check --help'`,
      );
    const head = revision(single(parsed, 'head'), '--head');
    const format = (single(parsed, 'format') ?? 'text') as Format;
    if (!['text', 'json', 'github'].includes(format))
      throw new UsageError(`--format must be text, json or github (got "${format}")`);
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
      withPaths: format === 'github',
    });
    if (format === 'json') context.stdout.write(`${JSON.stringify(toJson(review), null, 2)}\n`);
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
    } else context.stdout.write(renderText(review));
    return review.report.ok ? ExitCode.Ok : ExitCode.Found;
  },
};
