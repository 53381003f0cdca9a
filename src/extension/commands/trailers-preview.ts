import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { AI_ATTRIBUTION, ASSISTED_BY, formatAiAttribution, formatAssistedBy } from '../../core/formats/trailers';
import { stagedAttribution } from '../../io/attribution/staged-attribution';
import { openRunsStore } from '../../io/attribution/runs-store';
import { unfinishedShellFiles } from '../../io/agents/unfinished-shells';
import { locateRepository } from '../../io/git/repository';
import { commitExists, emptyTree } from '../../io/git/staged';

export interface TrailerPreview {
  root: string;
  trailers: string[];
  added: number;
  aiLines: number;
}

/** The trailers the next commit of the repository holding `folder` will carry, computed from what is staged. */
export async function previewTrailers(folder: string, logger: Logger): Promise<TrailerPreview> {
  const location = await locateRepository(folder);
  const base = (await commitExists(location.root, 'HEAD')) ? 'HEAD' : await emptyTree(location.root);
  // As the commit hook does: agents' shell commands with no record yet make what they may have written ask for review.
  const { files: unfinished } = await unfinishedShellFiles(location, logger);
  const result = await stagedAttribution(openRunsStore(location, logger), location.root, base, logger, { unfinished });
  const a = result.attribution;
  const trailers =
    a.ai + a.mixed + (a.skipped ?? 0) + (a.deleted ?? 0) > 0
      ? [
          ...formatAssistedBy(result.agents).map(v => `${ASSISTED_BY}: ${v}`),
          `${AI_ATTRIBUTION}: ${formatAiAttribution(a)}`,
        ]
      : [];
  return { root: location.root, trailers, added: a.added, aiLines: a.ai + a.mixed };
}

interface GitInputBox {
  value: string;
}
interface GitRepository {
  rootUri: vscode.Uri;
  inputBox: GitInputBox;
}
interface GitApi {
  repositories: GitRepository[];
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}

/** The built-in git extension's repository for `root`, if the git extension is there. */
export async function scmRepository(root: string): Promise<GitRepository | undefined> {
  const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
  if (!ext) return undefined;
  const api = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
  // The git extension discovers repositories in the background: ask for this one if it has not yet.
  return (
    api.repositories.find(r => r.rootUri.fsPath === root) ??
    (await api.openRepository?.(vscode.Uri.file(root))) ??
    undefined
  );
}

/** Adds trailers to a commit message after a blank line, each once; an older AI-Attribution is replaced. */
export function withTrailers(message: string, trailers: readonly string[]): string {
  const replacing = trailers.some(t => t.startsWith(`${AI_ATTRIBUTION}:`));
  const lines = message.split('\n').filter(l => !(replacing && l.startsWith(`${AI_ATTRIBUTION}:`)));
  const missing = trailers.filter(t => !lines.includes(t));
  const body = lines.join('\n').replace(/\s+$/, '');
  if (missing.length === 0) return body;
  const endsWithTrailers = /\n\n([A-Za-z-]+: .+\n?)+$/.test(body);
  return body === '' ? missing.join('\n') : `${body}${endsWithTrailers ? '\n' : '\n\n'}${missing.join('\n')}`;
}
