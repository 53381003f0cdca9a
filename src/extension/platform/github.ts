import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { currentBranch, remoteUrl } from '../../io/git/queries';
import { safeApiUrl } from '../../io/review/api-url';

/** What a pull request's reviews say (GitHub's own review state, shown beside ours; it decides nothing here). */
export interface PullRequestState {
  number: number;
  approvedBy: string[];
  changesRequestedBy: string[];
  /** Reviewers requested who have not reviewed since. */
  waitingFor: string[];
}

export interface GitHubSettings {
  /** REST API root: https://api.github.com, or a GitHub Enterprise server's /api/v3. */
  apiUrl: string;
  /** The VS Code authentication provider that signs in: `github` or `github-enterprise`. */
  authProvider: string;
}

/** owner/name of a GitHub remote URL (https, ssh or scp-like), for the hosts we know, else undefined. */
export function parseGitHubRemote(url: string, hosts: readonly string[]): { owner: string; repo: string } | undefined {
  const m =
    /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/(?:[^@/]+@)?|[^@/\s]+@)([^/:]+)(?::\d+)?[/:]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  if (!m || !hosts.includes(m[1]!.toLowerCase())) return undefined;
  return { owner: m[2]!, repo: m[3]! };
}

/**
 * Asks GitHub for a review where the branch has an open pull request: requests the seniors as reviewers, adds
 * the `ai-assisted` label and posts the review packet as a comment, through the REST API with VS Code's GitHub
 * sign-in (the token stays with VS Code; it is never typed or stored by us).
 */
export class GitHubReviewer {
  /**
   * Where the token comes from: VS Code's GitHub sign-in. Replaceable for the e2e tests only, because VS Code
   * refuses the sign-in consent dialog in test runs.
   */
  tokenSource: () => Promise<string> = async () =>
    (await vscode.authentication.getSession(this.settings().authProvider, ['repo'], { createIfNone: true }))
      .accessToken;

  /** The token when the person is signed in already, without asking (for reading a pull request's state). */
  quietTokenSource: () => Promise<string | undefined> = async () =>
    (await vscode.authentication.getSession(this.settings().authProvider, ['repo'], { silent: true }))?.accessToken;

  constructor(
    private readonly settings: () => GitHubSettings,
    private readonly logger: Logger,
  ) {}

  /** Remote hosts that are GitHub: github.com, and the API's own host (a GitHub Enterprise server). */
  private hosts(): string[] {
    const api = new URL(this.settings().apiUrl).hostname.toLowerCase();
    return api === 'api.github.com' ? ['github.com'] : ['github.com', api];
  }

  /** Returns the pull request asked, or undefined when the remote is not GitHub or the branch has no open pull request. */
  async requestOnPullRequest(
    root: string,
    emails: readonly string[],
    packet: string,
  ): Promise<{ number: number } | undefined> {
    const remote = await remoteUrl(root, 'origin');
    const repo = remote !== undefined ? parseGitHubRemote(remote, this.hosts()) : undefined;
    if (!repo) return undefined;
    const branch = await currentBranch(root);
    if (!branch) return undefined;
    const api = this.client(await this.tokenSource());
    const base = `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}`;
    const pulls = await api.get<{ number: number }[]>(
      `${base}/pulls?state=open&head=${encodeURIComponent(`${repo.owner}:${branch}`)}`,
    );
    const pr = pulls[0];
    if (!pr) return undefined;
    const logins: string[] = [];
    for (const email of emails) {
      const found = await api.get<{ items?: { login: string }[] }>(
        `/search/users?q=${encodeURIComponent(`${email} in:email`)}`,
      );
      const login =
        found.items?.[0]?.login ??
        (await vscode.window.showInputBox({
          title: vscode.l10n.t('GitHub account of {0}', email),
          prompt: vscode.l10n.t(
            'GitHub does not show which account has this address; type the login to request the review from.',
          ),
        }));
      if (login) logins.push(login);
    }
    if (logins.length) await api.post(`${base}/pulls/${pr.number}/requested_reviewers`, { reviewers: logins });
    await api.post(`${base}/issues/${pr.number}/labels`, { labels: ['ai-assisted'] });
    await api.post(`${base}/issues/${pr.number}/comments`, { body: packet });
    this.logger.info(`asked ${logins.join(', ')} on ${repo.owner}/${repo.repo}#${pr.number}`);
    return { number: pr.number };
  }

  /**
   * The review state of the branch's open pull request (its latest review per reviewer, and who is still asked),
   * when the remote is GitHub, the person is signed in to GitHub in VS Code, and there is one; else undefined. Never
   * asks to sign in.
   */
  async pullRequestState(root: string): Promise<PullRequestState | undefined> {
    const remote = await remoteUrl(root, 'origin');
    const repo = remote !== undefined ? parseGitHubRemote(remote, this.hosts()) : undefined;
    if (!repo) return undefined;
    const branch = await currentBranch(root);
    const token = branch ? await this.quietTokenSource().catch(() => undefined) : undefined;
    if (!branch || !token) return undefined;
    const api = this.client(token);
    const base = `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}`;
    const pulls = await api.get<{ number: number; html_url?: string; requested_reviewers?: { login: string }[] }[]>(
      `${base}/pulls?state=open&head=${encodeURIComponent(`${repo.owner}:${branch}`)}`,
    );
    const pr = pulls[0];
    if (!pr) return undefined;
    const reviews = await api.get<{ user?: { login: string }; state: string }[]>(
      `${base}/pulls/${pr.number}/reviews?per_page=100`,
    );
    // The latest review per reviewer that decides something (a comment leaves an earlier decision standing).
    const latest = new Map<string, string>();
    for (const r of reviews)
      if (r.user?.login && ['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(r.state))
        latest.set(r.user.login, r.state);
    const by = (state: string) => [...latest].filter(([, s]) => s === state).map(([login]) => login);
    return {
      number: pr.number,
      approvedBy: by('APPROVED'),
      changesRequestedBy: by('CHANGES_REQUESTED'),
      waitingFor: (pr.requested_reviewers ?? []).map(r => r.login),
    };
  }

  private client(token: string) {
    const root = this.settings().apiUrl.replace(/\/+$/, '');
    safeApiUrl(root, 'aiProvenance.github.apiUrl');
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${root}${path}`, {
        method,
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${token}`,
          'X-GitHub-Api-Version': '2022-11-28',
          'User-Agent': 'ai-provenance',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        throw new Error(
          `GitHub ${method} ${path.split('?')[0]}: ${response.status} ${response.statusText}${text ? ` (${text.slice(0, 200)})` : ''}`,
        );
      }
      return (response.status === 204 ? undefined : await response.json()) as T;
    };
    return {
      get: <T>(p: string) => call<T>('GET', p),
      post: <T>(p: string, body: unknown) => call<T>('POST', p, body),
    };
  }
}
