import { PRODUCT } from '../../core/product';
import { createSignoff, planSignoff } from '../../io/review/signoff';
import type { Command, CommandContext } from '../command';
import { baseOption } from '../base-option';
import { EnvironmentError, ExitCode, UsageError } from '../exit';
import { parseOptions, single } from '../parse-args';
import { confirm, describePlan } from './sign-off';

const help = `Usage: ${PRODUCT.cli} request-changes --message TEXT [--base REV] [--yes] [--dry-run]

As a senior, asks for changes to the AI-assisted commits of the current branch that wait for sign-off: an empty
commit signed with your SSH key, like a sign-off, that signs nothing:

  AI changes requested: <n> commits

  <what to change: your message>

  Reviewed-by: <Name> <email>
  AI-Changes-Requested: <patch-id> <commit-id>      (one per commit)

Those commits then show as "changes-requested" in check, the editor and the review packet, until a new commit
changes their patch (then they wait for review again) or a senior signs them off. A sign-off of yours earlier on
the branch for the same patch no longer counts. Push the branch so its author sees it.

Options:
  --message TEXT   what to change (required)
  --base REV       the branch's base (default: origin/HEAD, origin/main, origin/master, main or master)
  --yes            do it without asking (needed when standard input is not a terminal)
  --dry-run        print the record, change nothing

Exit codes: 0 recorded (or nothing waits); 2 bad usage, or refused (key not in the roster, signing not set up,
changes staged); 3 git or ssh-keygen failed, or the record does not verify.
`;

export const requestChangesCommand: Command = {
  name: 'request-changes',
  summary: "as a senior, make the SSH-signed record that asks for changes to the branch's AI-assisted commits",
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const parsed = parseOptions('request-changes', args, {
      values: { base: {}, message: { short: 'm' } },
      flags: { yes: { short: 'y' }, 'dry-run': { short: 'n' } },
    });
    const comment = single(parsed, 'message');
    if (comment === undefined || comment.trim() === '')
      throw new UsageError('request-changes needs --message TEXT: say what to change');
    const base = await baseOption(single(parsed, 'base'), context);
    const plan = await planSignoff({
      cwd: context.cwd,
      base,
      logger: context.logger,
      comment,
      verdict: 'changes-requested',
    });
    context.stdout.write(describePlan(plan));
    if (!plan.message) {
      context.stdout.write('Nothing waits for review, so there is nothing to ask changes of.\n');
      return ExitCode.Ok;
    }
    if (parsed.flags.has('dry-run')) {
      context.stdout.write('Dry run: nothing was recorded.\n');
      return ExitCode.Ok;
    }
    if (!parsed.flags.has('yes')) {
      if ((context.stdin as NodeJS.ReadStream).isTTY !== true)
        throw new UsageError('standard input is not a terminal: add --yes to record without a prompt, or --dry-run');
      if (!(await confirm(context, 'Record the request for changes with your SSH key? [y/N] '))) {
        context.stdout.write('Nothing recorded.\n');
        return ExitCode.Ok;
      }
    }
    const { commit, verified } = await createSignoff(plan, context.logger);
    if (verified.status !== 'verified') {
      throw new EnvironmentError(
        `the record ${commit} was made but does not verify against the base's roster (${verified.status}); check that git signs with the key listed for you (user.signingkey), then undo it with git reset --soft HEAD~1`,
      );
    }
    context.stdout.write(`Changes requested in ${commit}. Push the branch so its author sees it.\n`);
    return ExitCode.Ok;
  },
};
