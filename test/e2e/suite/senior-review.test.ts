import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/platform/ids';
import type { SignoffState } from '../../../src/extension/views/signoff-model';
import { REVIEW_SCHEME } from '../../../src/extension/views/review-session';
import { activeExtension, clickDom, harness, harnessAvailable, queryDom, waitFor } from './util';

const cli = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
/**
 * A screenshot for the docs (E2E_SCREENSHOTS), without the notifications other steps left on screen, once the
 * sidebar's rows on the page show `rows` (the tree paints after its data changes), or a moment later.
 */
const shot = async (name: string, ...rows: string[]): Promise<void> => {
  if (!harnessAvailable()) return;
  await vscode.commands.executeCommand('notifications.clearAll');
  // Only for the picture: the states are asserted through the view's data. In the whole suite other tests leave
  // uncommitted files that push these rows out of the rendered part of the list.
  await waitFor(
    async () => {
      const text = (await queryDom('.monaco-list-row')).elements.map(e => e.text).join('\n');
      return rows.every(r => text.includes(r));
    },
    `the sidebar showing ${rows.join(', ')}`,
    3000,
  ).catch(() => undefined);
  await harness('/screenshot', { name });
};

describe('the senior’s side: a request through git alone, Review, Request Changes, Sign Off', function () {
  this.timeout(240000);

  it('fetches a junior’s request from a plain git remote, reviews the code with AI lines marked, requests changes, then signs off', async () => {
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-senior-')));
    const key = (name: string, email: string) => {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', email, '-f', path.join(tmp, name)]);
      return path.join(tmp, name);
    };
    const senior = key('senior', 'lead@example.invalid');
    const { api } = await activeExtension();
    const config = vscode.workspace.getConfiguration();
    const rows = (): string => api.signoffRows().join('\n');

    // The team's remote is a plain bare repository: no forge, no pull request.
    const bare = path.join(tmp, 'team.git');
    execFileSync('git', ['init', '-q', '--bare', bare]);
    git('switch', '-q', 'main');
    fs.mkdirSync(path.join(root, '.ai-provenance'), { recursive: true });
    fs.writeFileSync(
      path.join(root, '.ai-provenance', 'allowed_signers'),
      `lead@example.invalid ${fs.readFileSync(`${senior}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`,
    );
    fs.writeFileSync(path.join(root, '.ai-provenance', 'policy.json'), JSON.stringify({ version: 1 }));
    fs.writeFileSync(path.join(root, 'OLD-NOTES.md'), 'notes nobody reads\n');
    git('add', '.ai-provenance', 'OLD-NOTES.md');
    git('commit', '-q', '--no-verify', '-m', 'The roster of the team lead');
    git('remote', 'add', 'team', bare);
    git('push', '-q', 'team', 'main');

    // The junior, in a clone of their own: Claude Code writes src/pricing.ts through its hooks, they delete a file by
    // hand, commit (the git hooks write the trailers and the note), and ask for review through the remote alone.
    const junior = path.join(tmp, 'junior');
    const home = path.join(tmp, 'junior-home');
    fs.mkdirSync(home);
    execFileSync('git', ['clone', '-q', bare, junior]);
    const jenv = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      AI_PROVENANCE_HOME: path.join(home, '.local', 'share', 'ai-provenance'),
    };
    const jgit = (...args: string[]) => execFileSync('git', args, { cwd: junior, encoding: 'utf8', env: jenv });
    const jcli = (args: string[], input?: string) => {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: junior, encoding: 'utf8', env: jenv, input });
      assert.equal(r.status, 0, `ai-provenance ${args.join(' ')}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
      return r;
    };
    jgit('config', 'user.name', 'Junior Dev');
    jgit('config', 'user.email', 'junior@example.invalid');
    jgit('config', 'commit.gpgsign', 'false');
    jgit('switch', '-q', '-c', 'feature/pricing');
    jcli(['hooks', 'install']);
    const file = path.join(junior, 'src', 'pricing.ts');
    const content = 'export function price(cents: number): number {\n  return Math.round(cents * 1.2);\n}\n';
    const payload = (event: 'PreToolUse' | 'PostToolUse') =>
      JSON.stringify({
        session_id: 'e2e-senior',
        transcript_path: path.join(home, 'transcript.jsonl'),
        cwd: junior,
        hook_event_name: event,
        tool_name: 'Write',
        tool_input: { file_path: file, content },
        ...(event === 'PostToolUse' ? { tool_response: { filePath: file, success: true } } : {}),
        tool_use_id: 'toolu_e2e',
      });
    jcli(['agent-hook', 'claude-code'], payload('PreToolUse'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    jcli(['agent-hook', 'claude-code'], payload('PostToolUse'));
    jgit('rm', '-q', 'OLD-NOTES.md');
    jgit('add', '-A');
    jgit('commit', '-q', '-m', 'Add pricing');
    assert.match(jgit('log', '-1', '--format=%B'), /AI-Attribution: v1 added=3 ai=3 /);
    jcli([
      'request-review',
      '--to',
      'lead@example.invalid',
      '--base',
      'origin/main',
      '--push',
      '-m',
      'Pricing, please.',
    ]);
    jcli(['notes', 'push']);
    assert.equal(jgit('ls-remote', bare, 'refs/heads/feature/pricing').trim(), '', 'the branch itself was not pushed');

    try {
      // The senior: their git identity and signing key; the sidebar judges against main.
      git('config', 'user.name', 'Team Lead');
      git('config', 'user.email', 'lead@example.invalid');
      git('config', 'gpg.format', 'ssh');
      git('config', 'user.signingkey', `${senior}.pub`);
      await config.update('aiProvenance.baseBranch', 'main', vscode.ConfigurationTarget.Global);
      await api.signoffState();
      assert.ok(!/Requested of Me/.test(rows()), `nothing asks the senior before a fetch:\n${rows()}`);

      // Fetch Review Requests: the request reached them through git alone.
      assert.equal(await vscode.commands.executeCommand(Commands.fetchReviewRequests, 'team'), true);
      await waitFor(
        () => /Requested of Me\n\s+feature\/pricing — 1 commit waits · from junior@example\.invalid/.test(rows()),
        'the request under Requested of Me',
      ).catch(error => assert.fail(`${(error as Error).message}\n${rows()}`));
      await vscode.commands.executeCommand(Commands.openSidebar);
      await shot('review-1-requested-of-me', 'Requested of Me', 'feature/pricing');

      // A click on the request checks the branch out where the request left it.
      const request = api.signoffRowCommands().find(r => /feature\/pricing/.test(r.row));
      assert.ok(request?.command, rows());
      assert.equal(
        await vscode.commands.executeCommand(request.command.command, ...(request.command.arguments ?? [])),
        true,
      );
      // Only the request has the branch (it was never pushed): a review/ branch, never one of the senior's own.
      assert.equal(git('symbolic-ref', '--short', 'HEAD').trim(), 'review/feature/pricing');
      await waitFor(() => /Add pricing — .*review requested/.test(rows()), 'the requested commit').catch(error =>
        assert.fail(`${(error as Error).message}\n${rows()}`),
      );
      assert.match(rows(), /pricing\.ts — 3 AI lines \[not viewed\]/);

      // Review: the multi-file diff editor, the AI-written file first, its AI lines marked, the deleted file too.
      const opened = await vscode.commands.executeCommand<{
        title: string;
        entries: number;
        files: { path: string }[];
      }>(Commands.review);
      assert.ok(opened, 'Review opened nothing');
      assert.deepEqual(
        opened.files.map(f => f.path),
        ['src/pricing.ts', 'OLD-NOTES.md'],
      );
      await waitFor(
        () => vscode.window.tabGroups.all.flatMap(g => g.tabs).some(t => t.label.includes('AI review')),
        'the review tab',
      );
      await waitFor(
        () =>
          vscode.window.visibleTextEditors.some(
            e =>
              e.document.uri.scheme === REVIEW_SCHEME &&
              e.document.uri.path.endsWith('/src/pricing.ts') &&
              e.document.getText() === content,
          ),
        'the AI-written file in the review',
      ).catch(error =>
        assert.fail(
          `${(error as Error).message}; visible: ${vscode.window.visibleTextEditors.map(e => e.document.uri.toString()).join(', ')}`,
        ),
      );
      // One-sided, as git's own changes show: the added file has no old side, the deleted file no new side.
      const reviewSides = (file: string): string[] =>
        vscode.window.visibleTextEditors
          .filter(e => e.document.uri.scheme === REVIEW_SCHEME && e.document.uri.path.endsWith(file))
          .map(e => (JSON.parse(e.document.uri.query) as { side: string }).side)
          .sort();
      await waitFor(
        () => reviewSides('/OLD-NOTES.md').join() === 'before',
        'the deleted file shown by its old side only',
      ).catch(error => assert.fail(`${(error as Error).message}: ${reviewSides('/OLD-NOTES.md').join()}`));
      assert.deepEqual(reviewSides('/src/pricing.ts'), ['after'], 'the added file has no empty old side');
      const after = vscode.window.visibleTextEditors.find(
        e =>
          e.document.uri.scheme === REVIEW_SCHEME &&
          e.document.uri.path.endsWith('/src/pricing.ts') &&
          e.document.getText() === content,
      )!;
      // Drawn on the editor the multi-file diff shows: lines 1-3, written by Claude Code.
      await waitFor(
        () => JSON.stringify(api.reviewMarks(after.document).ai.map(r => [r.start.line, r.end.line])) === '[[0,2]]',
        'lines 1-3 marked as written by AI in the diff',
      ).catch(error => assert.fail(`${(error as Error).message}: ${JSON.stringify(api.reviewMarks(after.document))}`));
      await new Promise(r => setTimeout(r, 1000)); // the marks are drawn: let the page paint them
      await shot('review-2-multi-diff');

      // A comment on a line, then Request Changes: a signed record that the sidebar and check show.
      const state = (await api.signoffState()) as Extract<SignoffState, { kind: 'ready' }>;
      const commit = state.waiting[0]!;
      // A comment on line 2 of the review's file, typed as a person does: Add Comment on the line, the text, and
      // the thread's Add Comment button (VS Code calls our command with the reply).
      await vscode.window.showTextDocument(after.document, { selection: new vscode.Range(1, 0, 1, 0), preview: true });
      // The line can take a comment once VS Code has asked our controller where comments go.
      await waitFor(async () => (await queryDom('.comment-range-glyph')).count > 0, 'the commenting ranges').catch(
        async error => {
          await shot('no-commenting-ranges');
          throw error;
        },
      );
      await vscode.commands.executeCommand('workbench.action.addComment');
      await waitFor(
        async () => (await queryDom('.review-widget .monaco-editor')).count > 0,
        'the comment widget',
      ).catch(async error => {
        await shot('no-comment-widget');
        throw error;
      });
      await harness('/type', { text: 'Round half to even?' });
      await harness('/click', { selector: '.review-widget .monaco-button', text: 'Add Comment' });
      await waitFor(
        () => api.reviewComments().some(c => c.line === 2 && c.text === 'Round half to even?'),
        'the line comment kept for the record',
      ).catch(error => assert.fail(`${(error as Error).message}: ${JSON.stringify(api.reviewComments())}`));
      // The thread shows the comment as posted.
      await waitFor(
        async () =>
          (await queryDom('.review-widget .comment-body')).elements.some(e => e.text.includes('Round half to even?')),
        'the comment shown in its thread',
      );
      await shot('review-3-line-comment');
      const changes = await vscode.commands.executeCommand<string>(Commands.requestChanges, {
        confirm: false,
        comment: 'Prices must never be negative.',
      });
      assert.ok(changes, 'no request for changes was made');
      assert.match(
        git('log', '-1', '--format=%B'),
        new RegExp(
          `^AI changes requested: 1 commit\\n\\nPrices must never be negative\\.\\n\\nReview comments:\\n- src/pricing\\.ts:2 \\(${commit.commit.id.slice(0, 12)}\\): Round half to even\\?\\n\\nReviewed-by: Team Lead <lead@example\\.invalid>\\nAI-Changes-Requested: [0-9a-f]{40} ${commit.commit.id}\\n`,
        ),
      );
      await waitFor(() => /Add pricing — .*changes requested/.test(rows()), 'changes requested in the sidebar').catch(
        error => assert.fail(`${(error as Error).message}\n${rows()}`),
      );
      const check = spawnSync(process.execPath, [cli, 'check', '--base', 'main'], { cwd: root, encoding: 'utf8' });
      assert.equal(check.status, 1, check.stdout);
      assert.match(check.stdout, /changes-requested\s+[0-9a-f]{10}/);
      assert.match(check.stdout, /lead@example\.invalid requested changes/);
      await shot('review-4-changes-requested', 'changes requested');

      // The junior sees it through the remote, fixes it by hand, and pushes.
      git('push', '-q', 'team', 'HEAD:refs/heads/feature/pricing');
      jgit('pull', '-q', '--ff-only', 'origin', 'feature/pricing');
      const juniorCheck = spawnSync(process.execPath, [cli, 'check', '--base', 'origin/main'], {
        cwd: junior,
        encoding: 'utf8',
        env: jenv,
      });
      assert.equal(juniorCheck.status, 1);
      assert.match(juniorCheck.stdout, /changes-requested/);
      fs.writeFileSync(
        file,
        'export function price(cents: number): number {\n  return Math.max(0, Math.round(cents * 1.2));\n}\n',
      );
      jgit('commit', '-q', '-am', 'Never a negative price');
      jgit('push', '-q', 'origin', 'feature/pricing');

      // The senior fetches, brings the branch up to date, views every file, comments, and signs off.
      assert.equal(await vscode.commands.executeCommand(Commands.fetchReviewRequests, 'team'), true);
      const again = api.signoffRowCommands().find(r => /feature\/pricing/.test(r.row));
      assert.ok(again?.command, rows());
      if (harnessAvailable()) {
        // This time through the row's inline button, as a person would (VS Code passes the row, not the entry).
        // The fetch redraws the sidebar (the request's tip moved): a click on a row being drawn again goes nowhere,
        // so first the sidebar settles, as it has by the time a person moves the pointer there.
        let drawn = -1;
        let since = Date.now();
        await waitFor(
          () => {
            if (api.signoffRedraws() !== drawn) [drawn, since] = [api.signoffRedraws(), Date.now()];
            return Date.now() - since > 1500;
          },
          'the sidebar to settle after the fetch',
          20000,
        );
        const before = git('rev-parse', 'HEAD').trim();
        await harness('/hover', { selector: '.monaco-list-row:has-text("feature/pricing")' });
        await clickDom(
          '.monaco-list-row:has-text("feature/pricing") a.action-label[aria-label="Check Out for Review"]',
        );
        await waitFor(
          () => git('rev-parse', 'HEAD').trim() !== before,
          'the branch checked out by the inline button',
        ).catch(async error => {
          await harness('/screenshot', { name: 'inline-check-out' }).catch(() => undefined);
          throw error;
        });
      } else {
        assert.equal(
          await vscode.commands.executeCommand(again.command.command, ...(again.command.arguments ?? [])),
          true,
        );
      }
      // Now the remote has the branch: the local branch of that name, tracking it.
      assert.equal(git('symbolic-ref', '--short', 'HEAD').trim(), 'feature/pricing');
      assert.match(git('log', '-1', '--format=%s'), /Never a negative price/);
      const ready = (await api.signoffState()) as Extract<SignoffState, { kind: 'ready' }>;
      const waiting = ready.waiting.find(c => c.commit.subject === 'Add pricing')!;
      assert.ok(waiting, rows());
      // The junior's fix changed a line Claude Code wrote: a mixed line, so that commit waits for review too.
      const fix = ready.waiting.find(c => c.commit.subject === 'Never a negative price')!;
      assert.ok(fix, `the fix of an AI line waits too:\n${rows()}`);
      const disabledSignOff = 'a.action-label.disabled[aria-label^="Sign Off AI-Assisted Commits"]';
      if (harnessAvailable())
        await waitFor(async () => (await queryDom(disabledSignOff)).count > 0, 'Sign Off disabled before viewing');
      // Checked as viewed the way a person does it: expand the commit's row, tick its file's box. (In the whole suite
      // other tests leave uncommitted files listed above: their group is folded first, to bring the commits on screen.)
      const rowTexts = async (): Promise<string[]> => (await queryDom('.monaco-list-row')).elements.map(e => e.text);
      if ((await rowTexts()).some(t => t.startsWith('Uncommitted')))
        await clickDom('.monaco-list-row:has-text("Uncommitted") .monaco-tl-twistie');
      // The list on screen must show the branch as it is now, both commits, before a click: a refresh that adds the
      // fix's row above would move the rows under the pointer.
      await waitFor(async () => {
        const texts = await rowTexts();
        return texts.some(t => t.startsWith('Add pricing')) && texts.some(t => t.startsWith('Never a negative price'));
      }, 'both commit rows on screen');
      await clickDom('.monaco-list-row:has-text("Add pricing") .monaco-tl-twistie');
      await waitFor(
        async () => (await rowTexts()).some(t => t.startsWith('pricing.ts') && t.includes('3 AI lines')),
        'the commit’s file row on screen',
      );
      // The view recomputes after every git event and edit; a redraw refetches the rows, and a click on a checkbox
      // meanwhile is dropped by VS Code. So a recomputation that changes nothing must not redraw.
      const redraws = api.signoffRedraws();
      await api.signoffState();
      assert.equal(api.signoffRedraws(), redraws, 'the tree was redrawn by a refresh that changed nothing');
      await clickDom(
        '.monaco-list-row:has-text("pricing.ts"):has-text("3 AI lines") .custom-view-tree-node-item-checkbox',
      );
      await waitFor(() => /pricing\.ts — 3 AI lines \[viewed\]/.test(rows()), 'the file viewed').catch(async error => {
        await harness('/screenshot', { name: 'not-viewed' }).catch(() => undefined);
        assert.fail(`${(error as Error).message}\n${rows()}`);
      });
      // On screen too: the box stays ticked once its row is drawn again.
      const tickedBox =
        '.monaco-list-row:has-text("pricing.ts"):has-text("3 AI lines") .custom-view-tree-node-item-checkbox[aria-checked="true"]';
      await waitFor(async () => (await queryDom(tickedBox)).count === 1, 'the box shown ticked');
      await new Promise(r => setTimeout(r, 1000));
      assert.equal((await queryDom(tickedBox)).count, 1, 'the box was unticked on screen');
      // One file of the fix is still not viewed: Sign Off stays disabled until it is.
      if (harnessAvailable())
        await waitFor(async () => (await queryDom(disabledSignOff)).count > 0, 'Sign Off disabled with one file left');
      await vscode.commands.executeCommand(Commands.markViewed, {
        kind: 'commitFile',
        review: fix,
        path: 'src/pricing.ts',
      });
      if (harnessAvailable())
        await waitFor(
          async () => (await queryDom(disabledSignOff)).count === 0,
          'Sign Off enabled once all are viewed',
        );
      await vscode.commands.executeCommand(Commands.addReviewComment, {
        commit: waiting.commit.id,
        path: 'src/pricing.ts',
        text: 'Good with the clamp.',
      });
      const signoff = await vscode.commands.executeCommand<string>(Commands.signOff, { confirm: false });
      assert.ok(signoff, 'no sign-off was made');
      const message = git('log', '-1', '--format=%B');
      assert.match(
        message,
        new RegExp(
          `^AI sign-off: 2 commits\\n\\nReview comments:\\n- src/pricing\\.ts \\(${waiting.commit.id.slice(0, 12)}\\): Good with the clamp\\.\\n\\nReviewed-by: Team Lead <lead@example\\.invalid>\\nAI-Signoff: `,
        ),
      );
      assert.doesNotMatch(message, /not viewed/);
      await waitFor(
        () => /Add pricing — .*signed off/.test(rows()) && /Never a negative price — .*signed off/.test(rows()),
        'both signed off in the sidebar',
      ).catch(error => assert.fail(`${(error as Error).message}\n${rows()}`));
      assert.equal(spawnSync(process.execPath, [cli, 'check', '--base', 'main'], { cwd: root }).status, 0);
      await shot('review-5-signed-off', 'Never a negative price', 'signed off');

      // The author pulls the sign-off: their check passes too.
      git('push', '-q', 'team', 'feature/pricing');
      jgit('pull', '-q', '--ff-only', 'origin', 'feature/pricing');
      assert.equal(
        spawnSync(process.execPath, [cli, 'check', '--base', 'origin/main'], { cwd: junior, env: jenv }).status,
        0,
      );
    } finally {
      await config.update('aiProvenance.baseBranch', undefined, vscode.ConfigurationTarget.Global);
      git('switch', '-q', '-f', 'main');
      git('remote', 'remove', 'team');
      for (const k of ['user.signingkey', 'gpg.format']) spawnSync('git', ['config', '--unset', k], { cwd: root });
      git('config', 'user.name', 'E2E Tester');
      git('config', 'user.email', 'e2e@example.invalid');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
