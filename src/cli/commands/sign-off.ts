import * as readline from 'node:readline';
import { PRODUCT } from '../../core/product';
import { owns, type CommitReview } from '../../core/review/review';
import { printable } from '../../core/review/packet';
import { createSignoff, planSignoff, type SignoffPlan } from '../../io/review/signoff';
import type { Command, CommandContext } from '../command';
import { baseOption } from '../base-option';
import { EnvironmentError, ExitCode, UsageError } from '../exit';
import { parseOptions, single } from '../parse-args';
import { aiLinesText, short, stateReason } from '../review-text';

const help = `Usage: ${PRODUCT.cli} sign-off [--base REV] [--message TEXT] [--yes] [--dry-run]

Signs off, as a senior, the AI-assisted commits of the current branch that wait for sign-off: shows exactly what
is being signed (commits, patch ids, AI lines), then makes an empty commit signed with your own SSH signing key
(git commit --allow-empty -S, gpg.format=ssh):

  AI sign-off: <n> commits

  <your comments>

  Reviewed-by: <Name> <email>
  AI-Signoff: <patch-id> <commit-id>      (one per commit)

Your key (git config user.signingkey) must be listed in .ai-provenance/allowed_signers at the base; the address
it is listed under becomes the Reviewed-by address. Your own commits are left out unless the policy allows self
sign-off. Push the branch afterwards so CI sees the sign-off. The sign-off is also kept at
refs/ai-provenance/signoffs/<commit>, so that it (and the commits it reviewed) outlives a squash or rebase merge
and the branch's deletion: '${PRODUCT.cli} notes push' sends it, '${PRODUCT.cli} audit' reads it.

Options:
  --base REV       the branch's base (default: origin/HEAD, origin/main, origin/master, main or master)
  --message TEXT   your comments, kept in the sign-off commit message
  --yes            sign without asking (needed when standard input is not a terminal)
  --dry-run        print what would be signed and the commit message, change nothing

Exit codes: 0 signed off (or nothing to sign); 2 bad usage, or the sign-off is refused (key not in the roster,
only your own commits wait, changes are staged, signing not set up); 3 git or ssh-keygen failed, or the new
sign-off does not verify.
`;

function commitLine(c: CommitReview): string[] {
  const lines = [
    `  ${short(c.commit.id)}  patch ${c.commit.patchId ?? '-'}  ${aiLinesText(c)}${c.highRisk ? `  high-risk (${c.highRiskPaths.map(printable).join(', ')})` : ''}`,
    `              ${printable(c.commit.subject).slice(0, 80)}  (${printable(c.commit.author.name)} <${printable(c.commit.author.email)}>)`,
  ];
  const files = c.commit.aiPaths?.map(p => p.path) ?? c.commit.paths ?? [];
  if (files.length > 0)
    lines.push(
      `              files: ${files.slice(0, 8).map(printable).join(', ')}${files.length > 8 ? `, and ${files.length - 8} more` : ''}`,
    );
  return lines;
}

export function describePlan(plan: SignoffPlan): string {
  const out: string[] = [];
  const { signer, review } = plan;
  out.push(
    `Signer: ${printable(signer.reviewer.name)} <${signer.reviewer.email}>, ${signer.keyType} key ${signer.fingerprint}`,
  );
  out.push(
    `Range:  ${printable(review.base.rev)}..${printable(review.head.rev)} (${short(review.base.id)}..${short(review.head.id)})`,
  );
  out.push('');
  if (plan.targets.length > 0) {
    out.push(
      `${plan.verdict === 'signoff' ? 'Signing off' : 'Requesting changes to'} ${plan.targets.length} ${plan.targets.length === 1 ? 'commit' : 'commits'}:`,
    );
    for (const c of plan.targets) out.push(...commitLine(c));
    // .ai-provenance/reviewers: a sign-off by a senior who owns none of a commit's owned files waits for an owner.
    const me = { email: signer.reviewer.email, principals: signer.principals };
    const notMine = plan.targets.filter(
      c => c.routing?.enforced && c.routing.paths.length > 0 && !c.routing.paths.some(p => owns(me, p.owners)),
    );
    if (notMine.length > 0) {
      out.push(
        '',
        `Note: you own none of the files of ${notMine.length === 1 ? 'this commit' : 'these commits'} in ${printable(notMine[0]!.routing!.file)}; your sign-off counts for ${notMine.length === 1 ? 'it' : 'them'} only once an owner has signed off too:`,
      );
      for (const c of notMine)
        out.push(`  ${short(c.commit.id)}  owners: ${c.routing!.seniors.map(printable).join(', ')}`);
    }
  }
  const leftOut = (title: string, list: readonly CommitReview[], withReason = false): void => {
    if (list.length === 0) return;
    out.push('', title);
    for (const c of list) {
      out.push(...commitLine(c));
      if (withReason) out.push(`              ${stateReason(c, review.report.signoffs)}`);
    }
  };
  leftOut(
    'Left out, your own commits (the policy does not allow self sign-off; another senior signs them):',
    plan.ownCommits,
  );
  leftOut('Left out, you already signed them off (they wait for more seniors):', plan.alreadySigned);
  leftOut('Left out, they cannot be signed off as they are:', plan.blocked, true);
  if (plan.message) {
    out.push('', 'Commit message:');
    for (const line of plan.message.replace(/\n$/, '').split('\n')) out.push(`  | ${printable(line)}`);
  }
  return `${out.join('\n')}\n`;
}

export async function confirm(context: CommandContext, question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: context.stdin, output: context.stdout, terminal: false });
  try {
    const answer = await new Promise<string>(resolve => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export const signOffCommand: Command = {
  name: 'sign-off',
  summary: "as a senior, make the SSH-signed sign-off commit for the branch's AI-assisted commits",
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const parsed = parseOptions('sign-off', args, {
      values: { base: {}, message: { short: 'm' } },
      flags: { yes: { short: 'y' }, 'dry-run': { short: 'n' } },
    });
    const dryRun = parsed.flags.has('dry-run');
    const yes = parsed.flags.has('yes');
    const comment = single(parsed, 'message');
    const base = await baseOption(single(parsed, 'base'), context);
    const plan = await planSignoff({
      cwd: context.cwd,
      base,
      logger: context.logger,
      ...(comment !== undefined ? { comment } : {}),
    });
    context.stdout.write(describePlan(plan));
    if (plan.recordsRange) {
      context.stdout.write(
        "Nothing waits for sign-off, but no sign-off records the branch's whole change as it is now (commits came after the last one): " +
          'this sign-off lists no commit and records it (AI-Signoff-Range), so that a squash merge of the branch counts as signed.\n',
      );
    } else if (plan.targets.length === 0) {
      if (plan.ownCommits.length > 0 && plan.alreadySigned.length === 0) {
        throw new UsageError(
          'every commit that waits for sign-off is your own, and the policy does not allow self sign-off: another senior signs them off',
        );
      }
      context.stdout.write('Nothing waits for your sign-off.\n');
      return ExitCode.Ok;
    }
    if (dryRun) {
      context.stdout.write('Dry run: nothing was signed.\n');
      return ExitCode.Ok;
    }
    if (!yes) {
      const tty = (context.stdin as NodeJS.ReadStream).isTTY === true;
      if (!tty)
        throw new UsageError(
          'standard input is not a terminal: add --yes to sign without a prompt, or --dry-run to only look',
        );
      if (
        !(await confirm(
          context,
          plan.recordsRange
            ? "Record the branch's whole change with your SSH key? [y/N] "
            : `Sign off ${plan.targets.length} ${plan.targets.length === 1 ? 'commit' : 'commits'} with your SSH key? [y/N] `,
        ))
      ) {
        context.stdout.write('Not signed.\n');
        return ExitCode.Ok;
      }
    }
    const { commit, verified } = await createSignoff(plan, context.logger);
    if (verified.status !== 'verified') {
      throw new EnvironmentError(
        `the sign-off commit ${commit} was made but does not verify against the base's roster (${verified.status}` +
          `${'detail' in verified && verified.detail ? `: ${verified.detail}` : ''}); check that git signs with the key listed for you (user.signingkey), then undo it with git reset --soft HEAD~1`,
      );
    }
    context.stdout.write(
      `Signed off in ${commit} (${verified.fingerprint ?? plan.signer.fingerprint}). Push the branch so CI sees it, ` +
        `and run '${PRODUCT.cli} notes push' so the sign-off is kept after a squash or rebase merge.\n`,
    );
    return ExitCode.Ok;
  },
};
