import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { parseGitLabRemote, requestOnMergeRequest } from '../../src/io/review/gitlab';
import { safeApiUrl } from '../../src/io/review/api-url';

interface Recorded {
  method: string;
  url: string;
  token?: string;
  body?: unknown;
}

/** A stand-in for GitLab's REST API v4 on 127.0.0.1: one project, one open merge request, two users. */
async function fakeGitLab(options: { mergeRequests?: unknown[] } = {}) {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', c => (data += c));
    req.on('end', () => {
      requests.push({
        method: req.method!,
        url: req.url!,
        ...(typeof req.headers['private-token'] === 'string' ? { token: req.headers['private-token'] } : {}),
        ...(data ? { body: JSON.parse(data) } : {}),
      });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url!, 'http://x');
      if (req.headers['private-token'] !== 'glpat-test') return json(401, { message: '401 Unauthorized' });
      if (req.method === 'GET' && url.pathname === '/api/v4/projects/acme%2Fbackend%2Fapp/merge_requests')
        return json(
          200,
          url.searchParams.get('source_branch') === 'feature/x' && url.searchParams.get('state') === 'opened'
            ? (options.mergeRequests ?? [{ iid: 12, web_url: 'https://gitlab.example/mr/12', reviewers: [{ id: 3 }] }])
            : [],
        );
      if (req.method === 'GET' && url.pathname === '/api/v4/users') {
        if (url.searchParams.get('search') === 'lead@example.com') return json(200, [{ id: 7, username: 'lead' }]);
        if (url.searchParams.get('username') === 'second') return json(200, [{ id: 8, username: 'second' }]);
        return json(200, []);
      }
      if (req.method === 'PUT' && url.pathname === '/api/v4/projects/acme%2Fbackend%2Fapp/merge_requests/12')
        return json(200, { iid: 12 });
      if (req.method === 'POST' && url.pathname === '/api/v4/projects/acme%2Fbackend%2Fapp/merge_requests/12/notes')
        return json(201, { id: 1 });
      json(404, { message: '404 Not Found' });
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    api: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v4`,
    requests,
    close: () => server.close(),
  };
}

describe('GitLab merge request reviewers (REST API v4, a local stand-in)', () => {
  it('sends a token only to an https API, or to this machine (a local stand-in)', () => {
    assert.equal(safeApiUrl('https://gitlab.example/api/v4', 's').hostname, 'gitlab.example');
    assert.equal(safeApiUrl('http://127.0.0.1:8080/api/v4', 's').port, '8080');
    assert.throws(
      () => safeApiUrl('http://gitlab.example/api/v4', 'aiProvenance.gitlab.apiUrl'),
      /must be an https:\/\/ address/,
    );
    assert.throws(() => safeApiUrl('http://127.0.0.1.evil.example/', 's'), /must be an https/);
    assert.throws(() => safeApiUrl('not a url', 's'), /is not a URL/);
  });

  it('reads the project path of GitLab remotes on the API host only', () => {
    assert.equal(
      parseGitLabRemote('https://gitlab.example/acme/backend/app.git', 'gitlab.example'),
      'acme/backend/app',
    );
    assert.equal(parseGitLabRemote('git@gitlab.example:acme/app.git', 'gitlab.example'), 'acme/app');
    assert.equal(parseGitLabRemote('ssh://git@gitlab.example:2222/acme/app', 'gitlab.example'), 'acme/app');
    assert.equal(parseGitLabRemote('https://github.com/acme/app.git', 'gitlab.example'), undefined);
    assert.equal(parseGitLabRemote('https://gitlab.example/app.git', 'gitlab.example'), undefined);
    assert.equal(parseGitLabRemote('https://gitlab.example/acme/../app.git', 'gitlab.example'), undefined);
  });

  it('adds the seniors as reviewers of the open merge request, labels it and posts the packet', async () => {
    const gitlab = await fakeGitLab();
    try {
      const asked: string[] = [];
      const result = await requestOnMergeRequest({
        apiUrl: gitlab.api,
        token: 'glpat-test',
        remoteUrl: 'https://127.0.0.1/acme/backend/app.git',
        branch: 'feature/x',
        emails: ['lead@example.com', 'second@example.com'],
        packet: '# AI sign-off requested',
        askUsername: email => {
          asked.push(email);
          return Promise.resolve('second');
        },
      });
      assert.deepEqual(result, {
        project: 'acme/backend/app',
        iid: 12,
        webUrl: 'https://gitlab.example/mr/12',
        reviewers: ['lead', 'second'],
      });
      assert.deepEqual(asked, ['second@example.com'], 'asked only for the address GitLab does not show');
      assert.ok(gitlab.requests.every(r => r.token === 'glpat-test'));
      const put = gitlab.requests.find(r => r.method === 'PUT')!;
      assert.deepEqual(put.body, { reviewer_ids: [3, 7, 8], add_labels: 'ai-assisted' }, 'existing reviewers kept');
      const note = gitlab.requests.find(r => r.method === 'POST')!;
      assert.deepEqual(note.body, { body: '# AI sign-off requested' });
    } finally {
      gitlab.close();
    }
  });

  it('does nothing without an open merge request or on another host, and says what GitLab answered on an error', async () => {
    const gitlab = await fakeGitLab({ mergeRequests: [] });
    try {
      const base = {
        apiUrl: gitlab.api,
        token: 'glpat-test',
        emails: ['lead@example.com'],
        packet: 'p',
        askUsername: () => Promise.resolve(undefined),
      };
      assert.equal(
        await requestOnMergeRequest({
          ...base,
          remoteUrl: 'https://127.0.0.1/acme/backend/app.git',
          branch: 'feature/x',
        }),
        undefined,
      );
      assert.equal(
        await requestOnMergeRequest({ ...base, remoteUrl: 'https://github.com/acme/app.git', branch: 'feature/x' }),
        undefined,
      );
      assert.equal(gitlab.requests.filter(r => r.method !== 'GET').length, 0);
      await assert.rejects(
        requestOnMergeRequest({
          ...base,
          token: 'wrong',
          remoteUrl: 'https://127.0.0.1/acme/backend/app.git',
          branch: 'feature/x',
        }),
        /GitLab GET \/projects\/acme%2Fbackend%2Fapp\/merge_requests: 401 Unauthorized/,
      );
    } finally {
      gitlab.close();
    }
  });
});
