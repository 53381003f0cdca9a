import { PRODUCT } from '../../core/product';
import { locateRepository } from '../../io/git/repository';
import { defaultBase, reviewWithDetails } from '../../io/review/branch-review';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit';
import { parseOptions } from '../parse-args';
import { aiLinesText, short } from '../review-text';

const help = `Usage: ${PRODUCT.cli} log [RANGE] [--json]

The commits of RANGE with AI-written lines, newest first: their review state (pending, requested, signed-off,
stale, unverified, or not needed), AI lines, tools, and the files and line ranges the notes record.

RANGE is BASE..HEAD; a single revision means BASE..that revision; none means BASE..HEAD. BASE is the upstream's
default branch (origin/HEAD, else origin/main, origin/master, main or master): its policy and roster decide the
review state, as in 'check'.
`;

export const logCommand: Command = {
  name: 'log',
  summary: 'commits with AI lines and their review state',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const parsed = parseOptions('log', args, { flags: { json: {} } }, true);
    if (parsed.positional.length > 1)
      throw new UsageError(`log takes at most one RANGE; usage: ${PRODUCT.cli} log [BASE..HEAD] [--json]`);
    const range = parsed.positional[0];
    if (range?.startsWith('-')) throw new UsageError(`log takes a revision range, not "${range}"`);
    const location = await locateRepository(context.cwd, { logger: context.logger });
    let base: string | undefined;
    let head = 'HEAD';
    if (range?.includes('..')) {
      const [left, right] = range.split(/\.\.\.?/);
      base = left || 'HEAD';
      head = right || 'HEAD';
    } else if (range) {
      head = range;
    }
    base ??= await defaultBase(location.root, context.logger);
    if (!base)
      throw new UsageError(
        'no base branch found (no origin/HEAD, origin/main, origin/master, main or master): give a range, BASE..HEAD',
      );
    const review = await reviewWithDetails({ location, base, head, logger: context.logger });
    const commits = [...review.report.commits].reverse();
    if (parsed.flags.has('json')) {
      context.stdout.write(
        JSON.stringify(
          {
            base: review.base,
            head: review.head,
            commits: commits.map(c => ({
              id: c.commit.id,
              subject: c.commit.subject,
              author: c.commit.author,
              state: c.needsSignoff ? c.state : 'not-needed',
              aiLines: c.aiLines ?? null,
              attribution: c.commit.attribution.kind === 'valid' ? c.commit.attribution.attribution : null,
              assistedBy: c.commit.assistedBy,
              files: c.commit.aiPaths ?? (c.commit.paths ?? []).map(p => ({ path: p })),
              signers: c.signers.map(s => s.email),
            })),
          },
          null,
          2,
        ) + '\n',
      );
      return ExitCode.Ok;
    }
    if (commits.length === 0) {
      context.stdout.write(`No commit with AI lines in ${review.base.rev}..${review.head.rev}.\n`);
      return ExitCode.Ok;
    }
    for (const c of commits) {
      const state = c.needsSignoff ? (c.state ?? 'pending') : 'not-needed';
      context.stdout.write(
        `${short(c.commit.id)}  ${state.padEnd(10)}  ${aiLinesText(c).padEnd(20)}  ${c.commit.subject}\n`,
      );
      const span = (r: { start: number; end: number }): string =>
        r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`;
      for (const f of c.commit.aiPaths ?? []) {
        const ranges = (f.ranges ?? []).map(span).join(',');
        const removed = f.removed?.length
          ? `; removed by AI: lines ${f.removed.map(span).join(',')} of the parent's version`
          : '';
        context.stdout.write(`    ${f.path}  ${f.aiLines} AI lines${ranges ? ` (${ranges})` : ''}${removed}\n`);
      }
    }
    return ExitCode.Ok;
  },
};
