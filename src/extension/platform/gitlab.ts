import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { currentBranch, remoteUrl } from '../../io/git/queries';
import { parseGitLabRemote, requestOnMergeRequest, type GitLabResult } from '../../io/review/gitlab';
import { safeApiUrl } from '../../io/review/api-url';

const TOKEN_KEY = 'aiProvenance.gitlab.token';

/**
 * Asks GitLab for a review where the remote is on the configured GitLab and the branch has an open merge request
 * (src/io/review/gitlab.ts). VS Code has no GitLab sign-in: the access token (scope `api`) is asked once and kept in
 * VS Code's secret storage, never in settings or files.
 */
export class GitLabReviewer {
  constructor(
    private readonly apiUrl: () => string,
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: Logger,
  ) {}

  /** Set GitLab Access Token: asks for it (empty removes it). */
  async setToken(): Promise<void> {
    const token = await vscode.window.showInputBox({
      title: vscode.l10n.t('GitLab access token'),
      prompt: vscode.l10n.t(
        'A personal or project access token with the api scope, for {0}. Kept in VS Code\u2019s secret storage; empty removes it.',
        this.apiUrl(),
      ),
      password: true,
      ignoreFocusOut: true,
    });
    if (token === undefined) return;
    if (token.trim()) await this.secrets.store(TOKEN_KEY, token.trim());
    else await this.secrets.delete(TOKEN_KEY);
  }

  /** Returns the merge request asked, or undefined when the remote is not this GitLab or there is no open one. */
  async requestOnMergeRequest(
    root: string,
    emails: readonly string[],
    packet: string,
  ): Promise<GitLabResult | undefined> {
    const apiUrl = this.apiUrl();
    const remote = await remoteUrl(root, 'origin');
    const host = safeApiUrl(apiUrl, 'aiProvenance.gitlab.apiUrl').hostname;
    if (remote === undefined || parseGitLabRemote(remote, host) === undefined) return undefined;
    const branch = await currentBranch(root);
    if (!branch) return undefined;
    let token = await this.secrets.get(TOKEN_KEY);
    if (!token) {
      await this.setToken();
      token = await this.secrets.get(TOKEN_KEY);
      if (!token) return undefined;
    }
    const result = await requestOnMergeRequest({
      apiUrl,
      token,
      remoteUrl: remote,
      branch,
      emails,
      packet,
      askUsername: email =>
        Promise.resolve(
          vscode.window.showInputBox({
            title: vscode.l10n.t('GitLab account of {0}', email),
            prompt: vscode.l10n.t(
              'GitLab does not show which account has this address; type the username to request the review from.',
            ),
          }),
        ),
    });
    if (result) this.logger.info(`asked ${result.reviewers.join(', ')} on ${result.project}!${result.iid}`);
    return result;
  }
}
