// The GitHub Action (action.yml): `check` for the pull request a workflow runs for, as the runner runs a JavaScript
// action. The base and head come from the event (pull_request, pull_request_target, merge_group) unless given;
// annotations and the readable report go to the log, a markdown summary to the job summary, counts to the step's
// outputs, and an optional report file (json, gitlab, junit, sarif) for the tools that read one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import * as core from '@actions/core';
import { cliFailure } from '../core/errors';
import { PRODUCT } from '../core/product';
import type { Logger } from '../core/log';
import { locateRepository } from '../io/git/repository';
import { reviewBranch } from '../io/review/branch-review';
import { readReviewRequests } from '../io/review/requests';
import { openStates, renderGithub, renderSummary } from '../cli/check-report';
import { REPORT_FORMATS, renderReport, type ReportFormat, type ReportRun } from '../cli/ci-reports';
import { toolVersion } from '../cli/version';
import { writeFileAtomicSync } from '../io/store/atomic-file';

/** Report files the action writes besides the log and the job summary, with their default names. */
const REPORTS: Record<ReportFormat, string> = {
  json: 'ai-provenance-check.json',
  gitlab: 'gl-code-quality-report.json',
  junit: 'ai-provenance-junit.xml',
  sarif: 'ai-provenance.sarif',
};

interface EventRange {
  base?: string;
  head?: string;
  /** The pull request's base branch (`main`), for the sign-off command the failure names. */
  baseBranch?: string;
  /** What the range was read from, for messages. */
  source: string;
}

/** The base and head of the run's event: a pull request's base and head commits, or a merge queue group's. */
export function rangeOfEvent(eventName: string | undefined, eventPath: string | undefined): EventRange {
  const source = `the ${eventName ?? 'unknown'} event`;
  if (!eventPath || !fs.existsSync(eventPath)) return { source };
  let payload: unknown;
  try {
    payload = JSON.parse(fs.readFileSync(eventPath, 'utf8'));
  } catch (error) {
    throw new ActionInputError(
      `the event payload ${eventPath} is not JSON (${error instanceof Error ? error.message : String(error)}): give the action base and head inputs`,
    );
  }
  const sha = (value: unknown): string | undefined =>
    typeof value === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value) ? value : undefined;
  const p = (payload ?? {}) as {
    pull_request?: { base?: { sha?: unknown; ref?: unknown }; head?: { sha?: unknown } };
    merge_group?: { base_sha?: unknown; head_sha?: unknown };
  };
  if (p.pull_request) {
    const base = sha(p.pull_request.base?.sha);
    const head = sha(p.pull_request.head?.sha);
    const ref = p.pull_request.base?.ref;
    // A branch name as git allows one (git check-ref-format rules, roughly): anything else is not shown.
    const baseBranch =
      typeof ref === 'string' && /^[\w./-]+$/.test(ref) && !ref.includes('..') && !ref.startsWith('-')
        ? ref
        : undefined;
    return {
      ...(base ? { base } : {}),
      ...(head ? { head } : {}),
      ...(baseBranch ? { baseBranch } : {}),
      source: `${source}'s pull request`,
    };
  }
  if (p.merge_group) {
    const base = sha(p.merge_group.base_sha);
    const head = sha(p.merge_group.head_sha);
    return { ...(base ? { base } : {}), ...(head ? { head } : {}), source: `${source}'s merge group` };
  }
  return { source };
}

class ActionInputError extends Error {
  override readonly name = 'ActionInputError';
}

/** The engine's log in the runner's terms: warnings and errors as annotations, the rest in the debug log. */
function actionLogger(): Logger {
  const line = (message: string | Error, args: unknown[]): string =>
    format(message instanceof Error ? message.message : message, ...args);
  return {
    error: (message, ...args) => core.error(line(message, args)),
    warn: (message, ...args) => core.warning(line(message, args)),
    info: (message, ...args) => core.debug(line(message, args)),
    debug: (message, ...args) => core.debug(line(message, args)),
    trace: () => undefined,
  };
}

export async function runAction(): Promise<void> {
  const logger = actionLogger();
  const workspace = path.resolve(core.getInput('working-directory') || process.env.GITHUB_WORKSPACE || process.cwd());
  const format = (core.getInput('format') || 'none') as ReportFormat | 'none';
  if (format !== 'none' && !(REPORT_FORMATS as readonly string[]).includes(format))
    throw new ActionInputError(`the format input must be none or ${REPORT_FORMATS.join(', ')} (got "${format}")`);
  const event = rangeOfEvent(process.env.GITHUB_EVENT_NAME, process.env.GITHUB_EVENT_PATH);
  const base = core.getInput('base') || event.base;
  if (!base)
    throw new ActionInputError(
      `no base to check against: ${event.source} names no pull request or merge group. Run the action on pull_request ` +
        '(or merge_group), or give it one: with: base: refs/remotes/origin/main',
    );
  const head = core.getInput('head') || event.head || 'HEAD';

  const location = await locateRepository(workspace, { logger });
  const requests = await readReviewRequests(location, logger).catch(error => {
    logger.warn(`could not read review requests: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  });
  const startedAt = new Date();
  const review = await reviewBranch({ cwd: workspace, location, base, head, logger, requests, withPaths: true });

  // The log: annotations (one per commit that waits, on its first AI file) and the readable report.
  process.stdout.write(renderGithub(review));
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(review)).write();

  const { report } = review;
  const open = openStates(review).length;
  core.setOutput('ok', String(report.ok));
  core.setOutput('ai-commits', String(report.commits.length));
  core.setOutput('need-signoff', String(report.needingSignoff));
  core.setOutput('not-signed-off', String(open));
  core.setOutput('base', review.base.id);
  core.setOutput('head', review.head.id);
  if (format !== 'none') {
    const file = path.resolve(workspace, core.getInput('report-path') || REPORTS[format]);
    const run: ReportRun = {
      version: toolVersion(),
      startedAt,
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      hostname: os.hostname(),
    };
    writeFileAtomicSync(file, renderReport(format, review, run));
    core.setOutput('report', file);
  }
  if (!report.ok)
    core.setFailed(
      `${open} of ${report.needingSignoff} AI-assisted ${report.needingSignoff === 1 ? 'commit is' : 'commits are'} not signed off by a senior; ` +
        `a senior listed in .ai-provenance/allowed_signers signs off with: ${PRODUCT.cli} sign-off --base ${event.baseBranch && !core.getInput('base') ? `origin/${event.baseBranch}` : review.base.rev}`,
    );
}

/** The runner starts the bundle: every failure ends as a failed step with a message that says what to do. */
export function main(): void {
  runAction().catch((error: unknown) => {
    const failure = cliFailure(error);
    if (failure || error instanceof ActionInputError)
      core.setFailed(error instanceof Error ? error.message : String(error));
    else
      core.setFailed(
        `internal error in ${PRODUCT.displayName}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}; please report it`,
      );
  });
}

if (require.main === module) main();
