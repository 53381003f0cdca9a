import { safeApiUrl } from './api-url';

/**
 * Review requests on GitLab: where the branch has an open merge request, its reviewers are set to the seniors
 * (added to those already there), the `ai-assisted` label is added and the review packet is posted as a note,
 * through GitLab's REST API v4 (https://docs.gitlab.com/api/merge_requests/). The token is a personal or project
 * access token with the `api` scope that the person gives; it is sent only to the configured API.
 */

/** The project path (`group/subgroup/name`) of a GitLab remote URL on `host`, or undefined. */
export function parseGitLabRemote(url: string, host: string): string | undefined {
  const m =
    /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/(?:[^@/]+@)?|[^@/\s]+@)([^/:]+)(?::\d+)?[/:]((?:[^/\s]+\/)+[^/\s]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  if (!m || m[1]!.toLowerCase() !== host.toLowerCase()) return undefined;
  const project = m[2]!.replace(/^\/+/, '');
  return project.split('/').every(part => part !== '' && part !== '.' && part !== '..') ? project : undefined;
}

export interface GitLabRequest {
  /** The REST API root: https://gitlab.com/api/v4, or a self-managed server's https://HOST/api/v4. */
  apiUrl: string;
  token: string;
  remoteUrl: string;
  branch: string;
  emails: readonly string[];
  packet: string;
  /** Asked when GitLab does not say which account has an address: the username, or undefined to skip them. */
  askUsername: (email: string) => Promise<string | undefined>;
}

export interface GitLabResult {
  project: string;
  iid: number;
  webUrl?: string;
  reviewers: string[];
}

class GitLabError extends Error {
  override readonly name = 'GitLabError';
}

/**
 * Asks for the review on the branch's open merge request. Returns undefined when the remote is not on the API's host
 * or the branch has no open merge request.
 */
export async function requestOnMergeRequest(request: GitLabRequest): Promise<GitLabResult | undefined> {
  const root = request.apiUrl.replace(/\/+$/, '');
  const host = safeApiUrl(root, 'aiProvenance.gitlab.apiUrl').hostname;
  const project = parseGitLabRemote(request.remoteUrl, host);
  if (!project) return undefined;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${root}${path}`, {
      method,
      headers: {
        'PRIVATE-TOKEN': request.token,
        'User-Agent': 'ai-provenance',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new GitLabError(
        `GitLab ${method} ${path.split('?')[0]}: ${response.status} ${response.statusText}${text ? ` (${text.slice(0, 200)})` : ''}`,
      );
    }
    return (await response.json()) as T;
  };
  const id = encodeURIComponent(project);
  const open = await call<{ iid: number; web_url?: string; reviewers?: { id: number }[] }[]>(
    'GET',
    `/projects/${id}/merge_requests?state=opened&source_branch=${encodeURIComponent(request.branch)}`,
  );
  const mr = open[0];
  if (!mr || !Number.isInteger(mr.iid)) return undefined;
  const ids: number[] = [];
  const names: string[] = [];
  for (const email of request.emails) {
    // GitLab finds a user by a public e-mail address (or any address, for an administrator's token).
    let users = await call<{ id: number; username: string }[]>('GET', `/users?search=${encodeURIComponent(email)}`);
    if (users.length !== 1) {
      const username = await request.askUsername(email);
      if (!username) continue;
      users = await call<{ id: number; username: string }[]>('GET', `/users?username=${encodeURIComponent(username)}`);
    }
    const user = users[0];
    if (user && Number.isInteger(user.id)) {
      ids.push(user.id);
      names.push(user.username);
    }
  }
  const existing = (mr.reviewers ?? []).map(r => r.id).filter(n => Number.isInteger(n));
  await call('PUT', `/projects/${id}/merge_requests/${mr.iid}`, {
    ...(ids.length > 0 ? { reviewer_ids: [...new Set([...existing, ...ids])] } : {}),
    add_labels: 'ai-assisted',
  });
  await call('POST', `/projects/${id}/merge_requests/${mr.iid}/notes`, { body: request.packet });
  return { project, iid: mr.iid, ...(mr.web_url ? { webUrl: mr.web_url } : {}), reviewers: names };
}
