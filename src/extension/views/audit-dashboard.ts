import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { auditCharts } from '../../core/review/audit-charts';
import { auditDocument, type AuditDocument } from '../../core/review/audit-document';
import { renderAuditHtml } from '../../core/review/audit-html';
import type { AuditException, AuditedChange } from '../../core/review/audit';
import { auditBranch } from '../../io/review/audit';
import { Disposable } from '../platform/lifecycle';

/** What the dashboard command returns (tests and scripts): the audit shown, and how many plots the webview drew. */
export interface AuditDashboardResult {
  branch: AuditDocument['branch'];
  totals: AuditDocument['totals'];
  /** Plots the page reported drawn; undefined when it did not report within the wait. */
  rendered?: number;
}

const VIEW_TYPE = 'aiProvenance.auditDashboard';

/** An exception in words, for the dashboard's table (the CLI has its own, longer words). */
function describe(change: AuditedChange, e: AuditException): string {
  const commit = (e.commit ?? change.id).slice(0, 10);
  switch (e.code) {
    case 'no-signoff':
      return vscode.l10n.t('AI-assisted commit {0} has no sign-off.', commit);
    case 'unverified':
      return vscode.l10n.t(
        'A sign-off claims commit {0} but does not count (unsigned, bad signature or malformed).',
        commit,
      );
    case 'not-senior':
      return vscode.l10n.t(
        'Commit {0} was signed off with a key the roster of its base does not list for the reviewer.',
        commit,
      );
    case 'stale':
      return vscode.l10n.t('Commit {0} changed after it was signed off.', commit);
    case 'no-provenance':
      return vscode.l10n.t('Commit {0} was made without the provenance hooks, and nobody signed it off.', commit);
    case 'no-roster':
      return vscode.l10n.t(
        'Commit {0} is AI-assisted and its base had no roster, so nobody could sign it off.',
        commit,
      );
    case 'evidence-mismatch':
      return vscode.l10n.t(
        'The message of {0} says an AI took part, but the kept branch that matches its code has no signed-off AI commit.',
        commit,
      );
    case 'late-signoff':
      return vscode.l10n.t('Commit {0} was signed off only after it reached the branch.', commit);
    case 'bad-policy':
      return vscode.l10n.t('The policy at its base does not read: {0}', change.policyProblem ?? '');
  }
}

/**
 * The audit (`ai-provenance audit --format html`) over the current repository, in a webview: the same page, with
 * Chart.js loaded from the extension's own folder. One panel; opening it again refreshes it.
 */
export class AuditDashboard extends Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
  ) {
    super();
  }

  /**
   * Opens (or refreshes) the dashboard for the repository at `folder`. The command runs it once at a time
   * (ExclusiveCommands): a second call while one runs waits for it.
   */
  async open(folder: string | undefined, branch: string | undefined): Promise<AuditDashboardResult | undefined> {
    if (!folder) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder in a git repository first.'));
      return undefined;
    }
    let doc: AuditDocument;
    try {
      doc = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Auditing the branch history…') },
        async () =>
          auditDocument(
            await auditBranch({ cwd: folder, ...(branch ? { branch } : {}), logger: this.logger }),
            describe,
          ),
      );
    } catch (error) {
      this.logger.error(error as Error);
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Could not audit the branch: {0}. Fix that (Show Log has the details), then open the dashboard again.',
          (error as Error).message,
        ),
      );
      return undefined;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel =
      this.panel ??
      vscode.window.createWebviewPanel(VIEW_TYPE, vscode.l10n.t('AI Sign-off Audit'), vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [dist],
        retainContextWhenHidden: true,
      });
    if (!this.panel) {
      this.panel = panel;
      panel.onDidDispose(() => (this.panel = undefined));
    }
    panel.title = vscode.l10n.t('AI Sign-off Audit: {0}', doc.branch.rev);
    const rendered = new Promise<number | undefined>(resolve => {
      const timer = setTimeout(() => resolve(undefined), 20_000);
      const listener = panel.webview.onDidReceiveMessage((message: unknown) => {
        const n = (message as { rendered?: unknown } | undefined)?.rendered;
        if (typeof n !== 'number') return;
        clearTimeout(timer);
        listener.dispose();
        resolve(n);
      });
    });
    panel.webview.html = renderAuditHtml(doc, auditCharts(doc), {
      chartJs: { src: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'chart.umd.min.js')).toString() },
      scriptSource: panel.webview.cspSource,
      nonce: crypto.randomBytes(18).toString('base64'),
      generatedAt: new Date().toISOString(),
    });
    panel.reveal();
    const drawn = await rendered;
    if (drawn === undefined) this.logger.warn('the audit dashboard did not report its plots drawn within 20 s');
    return { branch: doc.branch, totals: doc.totals, ...(drawn !== undefined ? { rendered: drawn } : {}) };
  }

  override dispose(): void {
    this.panel?.dispose();
    super.dispose();
  }
}
