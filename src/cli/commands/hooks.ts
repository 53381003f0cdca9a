import * as path from 'node:path';
import { PRODUCT } from '../../core/product';
import { AI_ATTRIBUTION, FAILED_ATTRIBUTION } from '../../core/formats/trailers';
import {
  ForeignHookError,
  MANAGED_HOOKS,
  ensureNotesRewrite,
  hasNotesRewrite,
  hookStatus,
  hooksLocation,
  installHook,
  launcherPath,
  launcherTargetOf,
  removeNotesRewrite,
  uninstallHook,
  writeLauncher,
} from '../../io/git/hooks';
import { locateRepository } from '../../io/git/repository';
import type { Command, CommandContext } from '../command';
import { EnvironmentError, ExitCode, UsageError } from '../exit';

const help = `Usage: ${PRODUCT.cli} hooks install|uninstall|status [--json]

Manages the git hooks that write AI provenance into commits, in the repository of the current folder:
  ${MANAGED_HOOKS.join(', ')}.
Our code goes into each hook file as one marked block, after the first line; hooks that are already there
(husky, core.hooksPath, your own) keep working. uninstall removes exactly that block and nothing else.

install also writes the launcher the hooks call (${launcherPath().replace(process.env.HOME ?? '\0', '~')}), pointing at this
CLI and this Node, and sets notes.rewriteRef so amend and rebase carry the line-level notes.
`;

async function install(context: CommandContext): Promise<ExitCode> {
  const location = await locateRepository(context.cwd);
  const launcher = writeLauncher({ node: process.execPath, cli: path.resolve(__filename) });
  const { dir, hooksPath } = await hooksLocation(location.root);
  const problems: string[] = [];
  for (const hook of MANAGED_HOOKS) {
    try {
      const outcome = installHook(dir, hook, launcher);
      context.stdout.write(`${hook}: ${outcome} (${path.join(dir, hook)})\n`);
    } catch (error) {
      if (!(error instanceof ForeignHookError)) throw error;
      problems.push(error.message);
    }
  }
  if (await ensureNotesRewrite(location.root)) context.stdout.write(`notes.rewriteRef: added ${PRODUCT.notesRef}\n`);
  if (hooksPath)
    context.stdout.write(
      `note: core.hooksPath is ${hooksPath}; a tool that regenerates that folder (husky) may drop our block: run install again, or let the extension do it\n`,
    );
  if (problems.length) throw new EnvironmentError(problems.join('\n'));
  return ExitCode.Ok;
}

async function uninstall(context: CommandContext): Promise<ExitCode> {
  const location = await locateRepository(context.cwd);
  const { dir } = await hooksLocation(location.root);
  for (const hook of MANAGED_HOOKS) context.stdout.write(`${hook}: ${uninstallHook(dir, hook)}\n`);
  await removeNotesRewrite(location.root);
  return ExitCode.Ok;
}

async function status(context: CommandContext, json: boolean): Promise<ExitCode> {
  const location = await locateRepository(context.cwd);
  const { dir, hooksPath } = await hooksLocation(location.root);
  const launcher = launcherPath();
  const hooks = MANAGED_HOOKS.map(h => hookStatus(dir, h, launcher));
  const notesRewrite = await hasNotesRewrite(location.root);
  const target = launcherTargetOf(launcher);
  if (json) {
    context.stdout.write(
      JSON.stringify(
        {
          hooksDir: dir,
          hooksPath: hooksPath ?? null,
          launcher,
          launcherCli: target.cli ?? null,
          launcherCliExists: target.cliExists,
          hooks,
          notesRewrite,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    for (const h of hooks)
      context.stdout.write(`${h.hook}: ${h.state}${h.shared ? ' (shared with another hook)' : ''}\n`);
    context.stdout.write(
      `hooks folder: ${dir}${hooksPath ? ` (core.hooksPath ${hooksPath})` : ''}\nlauncher: ${launcher}\nnotes.rewriteRef: ${notesRewrite ? 'set' : 'not set'}\n`,
    );
    if (!target.cliExists) {
      context.stdout.write(
        `warning: the launcher ${target.cli ? `runs ${target.cli}, which no longer exists: the hooks record nothing and mark every commit ${AI_ATTRIBUTION}: ${FAILED_ATTRIBUTION} (check asks a senior to review it)` : 'is missing: the hooks do nothing'}; run '${PRODUCT.cli} hooks install' from an installed CLI (npm install -g ${PRODUCT.npmPackage}), or open VS Code with the extension\n`,
      );
    }
  }
  return ExitCode.Ok;
}

export const hooksCommand: Command = {
  name: 'hooks',
  summary: 'install, uninstall or show the git hooks that write provenance into commits',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const [action, ...rest] = args;
    const json = rest.includes('--json');
    const unknown = rest.filter(a => a !== '--json');
    if (unknown.length)
      throw new UsageError(
        `unknown argument ${unknown[0]}; usage: ${PRODUCT.cli} hooks install|uninstall|status [--json]`,
      );
    switch (action) {
      case 'install':
        return install(context);
      case 'uninstall':
        return uninstall(context);
      case 'status':
        return status(context, json);
      default:
        throw new UsageError(`hooks takes install, uninstall or status${action ? `, not ${action}` : ''}`);
    }
  },
};
