import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { POLICY_PATH } from '../../io/review/base-policy';
import { Commands } from '../platform/ids';
import { rootOf, type SignoffModel } from '../views/signoff-model';

/**
 * Open Policy File: the policy or roster file the base branch cannot read (from the Needs Sign-off view's bad
 * policy welcome), else the repository's policy.json. The work tree's copy when there is one (that is where the
 * fix is written, to be merged into the base); else the base's version, read-only, through the git extension.
 */
export async function openPolicyFile(model: SignoffModel): Promise<vscode.TextEditor | undefined> {
  const state = await model.refresh();
  const root = rootOf(state);
  if (!root) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder in a git repository first.'));
    return undefined;
  }
  const bad = state.kind === 'error' ? state.policyFile : undefined;
  const repoPath = bad?.path ?? POLICY_PATH;
  const file = path.join(root, ...repoPath.split('/'));
  if (fs.existsSync(file)) return vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  if (bad) {
    const uri = vscode.Uri.from({ scheme: 'git', path: file, query: JSON.stringify({ path: file, ref: bad.base }) });
    return vscode.window.showTextDocument(uri, { preview: false });
  }
  const create = vscode.l10n.t('Create Starter Policy and Roster');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('This repository has no {0} yet: create a starter policy and roster first.', POLICY_PATH),
    create,
  );
  if (answer === create) await vscode.commands.executeCommand(Commands.createStarterPolicy);
  return undefined;
}
