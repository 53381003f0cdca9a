import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/platform/ids';
import { activeExtension, waitFor } from './util';

const cli = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

interface Recorded {
  method: string;
  url: string;
  auth?: string;
  body?: unknown;
}

/** A stand-in for GitHub's REST API on 127.0.0.1 that answers what a pull request review request needs. */
async function fakeGitHub(): Promise<{ url: string; requests: Recorded[]; close(): void }> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', c => (data += c));
    req.on('end', () => {
      requests.push({
        method: req.method!,
        url: req.url!,
        ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
        ...(data ? { body: JSON.parse(data) } : {}),
      });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && req.url!.startsWith('/repos/acme/app/pulls?'))
        return json(200, [{ number: 7, requested_reviewers: [{ login: 'senior-gh' }] }]);
      if (req.method === 'GET' && req.url!.startsWith('/repos/acme/app/pulls/7/reviews'))
        return json(200, [
          { user: { login: 'bot' }, state: 'COMMENTED' },
          { user: { login: 'other-gh' }, state: 'CHANGES_REQUESTED' },
          { user: { login: 'other-gh' }, state: 'APPROVED' },
        ]);
      if (req.method === 'GET' && req.url!.startsWith('/search/users?'))
        return json(200, { items: [{ login: 'senior-gh' }] });
      if (req.method === 'POST') return json(201, {});
      json(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    close: () => server.close(),
  };
}

describe('senior sign-off from the editor', function () {
  this.timeout(120000);

  it('takes a junior\u2019s AI-assisted branch from the sidebar through review request and sign-off to a passing check', async () => {
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    const keys = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-keys-'));
    const key = (name: string, email: string) => {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', email, '-f', path.join(keys, name)]);
      return path.join(keys, name);
    };
    const senior = key('senior', 'senior@example.invalid');
    const junior = key('junior', 'junior@example.invalid');
    const { api } = await activeExtension();
    await vscode.commands.executeCommand(Commands.installHooks);

    // main: the team's roster and policy.
    git('switch', '-q', 'main');
    fs.mkdirSync(path.join(root, '.ai-provenance'), { recursive: true });
    fs.writeFileSync(
      path.join(root, '.ai-provenance', 'allowed_signers'),
      `senior@example.invalid ${fs.readFileSync(`${senior}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`,
    );
    fs.writeFileSync(path.join(root, '.ai-provenance', 'policy.json'), JSON.stringify({ version: 1 }));
    git('add', '.ai-provenance');
    git('commit', '-q', '-m', 'Add the sign-off roster');

    // The junior's branch with an AI-assisted commit.
    git('switch', '-q', '-c', 'feature/discount');
    git('config', 'user.email', 'junior@example.invalid');
    git('config', 'user.name', 'Junior Dev');
    const file = path.join(root, 'src', 'discount.ts');
    fs.writeFileSync(file, '');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await api.ready();
    await editor.edit(b =>
      b.insert(new vscode.Position(0, 0), 'export function discount(p: number) {\n  return p * 0.9;\n}\n'),
    );
    editor.selection = new vscode.Selection(0, 0, 3, 0);
    await vscode.commands.executeCommand(Commands.markAsAi, 'claude-code');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await api.flush();
    git('add', 'src/discount.ts');
    git('commit', '-q', '-m', 'Add a discount');
    assert.match(git('log', '-1', '--format=%B'), /AI-Attribution: v1 added=3 ai=3 /);

    // The sidebar shows it as pending; CI would refuse the branch.
    let state = await api.signoffState();
    assert.equal(state.kind, 'ready');
    assert.ok(
      api.signoffRows().some(r => /Add a discount — pending · [0-9a-f]{8}$/.test(r)),
      api.signoffRows().join('\n'),
    );
    assert.equal(spawnSync(process.execPath, [cli, 'check', '--base', 'main'], { cwd: root }).status, 1);
    // The commit adds its file: a click on the file row, and on its AI range, opens the file as the commit has it
    // (a diff against a parent without the file would fail with "file not found").
    for (const pattern of [/^\s+discount\.ts — 3 AI lines/, /^\s+lines 1–3 — claude-code\/manual/]) {
      const row = api.signoffRowCommands().find(r => pattern.test(r.row));
      assert.ok(row?.command, `no row ${pattern} with a command:\n${api.signoffRows().join('\n')}`);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand(row.command.command, ...(row.command.arguments ?? []));
      await waitFor(
        () =>
          vscode.window.activeTextEditor?.document.uri.scheme === 'git' &&
          vscode.window.activeTextEditor.document.getText().includes('return p * 0.9;'),
        `the commit's discount.ts from ${row.row.trim()}`,
      );
      assert.equal(vscode.window.activeTextEditor!.selection.start.line, 0);
    }

    // The junior requests review; the branch has a pull request on GitHub (a local stand-in here).
    const github = await fakeGitHub();
    const config = vscode.workspace.getConfiguration();
    // VS Code refuses the sign-in consent dialog in test runs: the test hands the extension the token instead.
    api.setGitHubTokenForTests('test-token');
    try {
      git('remote', 'add', 'origin', 'https://github.com/acme/app.git');
      await config.update('aiProvenance.github.apiUrl', github.url, vscode.ConfigurationTarget.Global);
      await config.update('aiProvenance.baseBranch', 'main', vscode.ConfigurationTarget.Global);
      const requested = await vscode.commands.executeCommand<{ packet: string; to: string[] }>(Commands.requestReview, [
        'senior@example.invalid',
      ]);
      assert.ok(requested?.packet.includes('Add a discount'), 'the review packet names the commit');
      // The packet is shown rendered, from a read-only document: no Untitled buffer that asks to be saved on close.
      assert.ok(
        !vscode.workspace.textDocuments.some(d => d.isUntitled && d.isDirty),
        'a dirty Untitled document holds the packet',
      );
      const tabs = (): string =>
        vscode.window.tabGroups.all
          .flatMap(g => g.tabs)
          .map(t => `${t.label} (${t.input?.constructor.name})`)
          .join(', ');
      await waitFor(
        () =>
          vscode.window.tabGroups.all
            .flatMap(g => g.tabs)
            .some(t => t.input instanceof vscode.TabInputWebview && /review-packet-.*\.md/.test(t.label)),
        'the rendered review packet (markdown preview)',
      ).catch(error => assert.fail(`${(error as Error).message}; tabs: ${tabs()}`));
      assert.deepEqual(
        github.requests.map(r => `${r.method} ${r.url.split('?')[0]}`),
        [
          'GET /repos/acme/app/pulls',
          'GET /search/users',
          'POST /repos/acme/app/pulls/7/requested_reviewers',
          'POST /repos/acme/app/issues/7/labels',
          'POST /repos/acme/app/issues/7/comments',
          // Then GitHub's own review state of the pull request, for the sidebar.
          'GET /repos/acme/app/pulls',
          'GET /repos/acme/app/pulls/7/reviews',
        ],
      );
      await waitFor(
        () =>
          api
            .signoffRows()
            .some(r => /^Pull request #7: approved by other-gh; waiting for senior-gh \(GitHub, /.test(r)),
        'the pull request review state in the sidebar',
      ).catch(error => assert.fail(`${(error as Error).message}\n${api.signoffRows().join('\n')}`));
      assert.ok(
        github.requests.every(r => r.auth === 'Bearer test-token'),
        'every GitHub call carries the VS Code sign-in',
      );
      assert.deepEqual(github.requests[2]!.body, { reviewers: ['senior-gh'] });
      assert.deepEqual(github.requests[3]!.body, { labels: ['ai-assisted'] });
      assert.equal((github.requests[4]!.body as { body: string }).body, requested!.packet);
      await waitFor(
        () => api.signoffRows().some(r => /Add a discount — review requested · [0-9a-f]{8}$/.test(r)),
        'the requested state in the sidebar',
      );

      // The junior cannot sign off their own work with a key outside the roster.
      git('config', 'gpg.format', 'ssh');
      git('config', 'user.signingkey', `${junior}.pub`);
      assert.equal(await vscode.commands.executeCommand(Commands.signOff, { confirm: false }), undefined);

      // The senior signs off from the editor.
      git('config', 'user.email', 'senior@example.invalid');
      git('config', 'user.name', 'Senior Dev');
      git('config', 'user.signingkey', `${senior}.pub`);
      // A double click on Sign Off: the second invocation joins the first (one sign-off commit, one result), where
      // it used to start a second run that failed with "HEAD moved".
      const headBefore = git('rev-parse', 'HEAD').trim();
      const [signoff, again] = await Promise.all([
        vscode.commands.executeCommand<string>(Commands.signOff, { confirm: false }),
        vscode.commands.executeCommand<string>(Commands.signOff, { confirm: false }),
      ]);
      assert.ok(signoff, 'no sign-off commit was made');
      assert.equal(again, signoff, 'the second Sign Off did not join the first');
      assert.equal(git('rev-list', '--count', `${headBefore}..HEAD`).trim(), '1', 'Sign Off made more than one commit');
      assert.match(
        git('log', '-1', '--format=%B'),
        /^AI sign-off: 1 commit[\s\S]*Reviewed-by: Senior Dev <senior@example.invalid>\nAI-Signoff: [0-9a-f]{40} [0-9a-f]{40}/,
      );
      state = await api.signoffState();
      assert.ok(
        api.signoffRows().some(r => /Add a discount — signed off · [0-9a-f]{8}$/.test(r)),
        api.signoffRows().join('\n'),
      );
      assert.equal(spawnSync(process.execPath, [cli, 'check', '--base', 'main'], { cwd: root }).status, 0);

      // The branch merges (a merge commit, the branch deleted); the audit dashboard, opened from the sidebar's
      // title bar, shows main's history with the signed-off change and draws its plots in the webview.
      git('switch', '-q', 'main');
      git('merge', '-q', '--no-ff', '--no-gpg-sign', '-m', 'Merge feature/discount', 'feature/discount');
      git('branch', '-q', '-D', 'feature/discount');
      const shown = await vscode.commands.executeCommand<{
        branch: { rev: string };
        totals: Record<string, number>;
        rendered?: number;
      }>(Commands.openAuditDashboard);
      assert.ok(shown, 'the dashboard did not open');
      assert.equal(shown.rendered, 7, 'the webview drew its seven plots');
      const audit = spawnSync(process.execPath, [cli, 'audit', '--branch', shown.branch.rev, '--format', 'json'], {
        cwd: root,
        encoding: 'utf8',
      });
      // Other tests of the run commit to main too: the audit may list their changes, and exits 0 or 1 by them.
      assert.ok(audit.status === 0 || audit.status === 1, audit.stderr);
      const doc = JSON.parse(audit.stdout) as {
        totals: Record<string, number>;
        changes: {
          id: string;
          status: string;
          signoffs: { reviewer: { email: string } | null; verified: boolean }[];
        }[];
      };
      assert.deepEqual(shown.totals, doc.totals);
      const merged = doc.changes.find(c => c.id === git('rev-parse', 'HEAD').trim());
      assert.equal(merged?.status, 'signed-off', JSON.stringify(merged));
      assert.ok(merged!.signoffs.some(s => s.verified && s.reviewer?.email === 'senior@example.invalid'));
      assert.ok(
        vscode.window.tabGroups.all
          .flatMap(g => g.tabs)
          .some(
            t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('aiProvenance.auditDashboard'),
          ),
        'a dashboard tab is open',
      );
    } finally {
      github.close();
      for (const k of ['aiProvenance.github.apiUrl', 'aiProvenance.baseBranch'])
        await config.update(k, undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(keys, { recursive: true, force: true });
    }
  });
});
