import * as path from 'node:path';
import * as vscode from 'vscode';
import { isDone, removedLineCount, type CommitReview, type ReviewState } from '../../core/review/review';
import { escapeMarkdown } from '../../core/review/packet';
import { readFileAt } from '../../io/git/cat-file';
import { Commands, Views } from '../platform/ids';
import { Disposable } from '../platform/lifecycle';
import type { SignoffModel, SignoffState, UncommittedFile, UncommittedHunk } from './signoff-model';
import type { ReviewSession } from './review-session';
import { viewedKey } from '../../core/review/review-files';
import { printable } from '../../core/review/packet';
import type { InboxEntry } from '../../io/review/inbox';
import type { PullRequestState } from '../platform/github';

/** One row of the "Needs Sign-off" tree: a thin wrapper over the model's data. */
export type SignoffNode =
  | { kind: 'group'; id: 'requests' | 'uncommitted' | 'commits'; label: string }
  | { kind: 'request'; entry: InboxEntry }
  | { kind: 'notice'; id: string; label: string; command?: vscode.Command }
  | { kind: 'uncommittedFile'; file: UncommittedFile }
  | { kind: 'hunk'; file: UncommittedFile; hunk: UncommittedHunk }
  | { kind: 'commit'; review: CommitReview }
  | {
      kind: 'commitFile';
      review: CommitReview;
      path: string;
      aiLines?: number;
      /** Lines an AI removed from the file (counted in the parent's version). */
      removedLines?: number;
      ranges: { start: number; end: number; tool?: string; kind?: string; model?: string }[];
    }
  | {
      kind: 'range';
      review: CommitReview;
      path: string;
      range: { start: number; end: number; tool?: string; kind?: string; model?: string };
    };

const STATE_ICONS: Record<ReviewState, string> = {
  pending: 'circle-large-outline',
  requested: 'mail',
  'signed-off': 'pass-filled',
  'self-signed': 'pass',
  stale: 'history',
  unverified: 'warning',
  'changes-requested': 'request-changes',
};

/** The state's colour, so it shows in the icon even when a narrow sidebar cuts the description. */
const STATE_COLORS: Record<ReviewState, string> = {
  pending: 'charts.yellow',
  requested: 'charts.blue',
  'signed-off': 'charts.green',
  'self-signed': 'charts.green',
  stale: 'charts.red',
  unverified: 'charts.red',
  'changes-requested': 'charts.orange',
};

function stateLabel(state: ReviewState | undefined): string {
  switch (state) {
    case 'pending':
      return vscode.l10n.t('pending');
    case 'requested':
      return vscode.l10n.t('review requested');
    case 'signed-off':
      return vscode.l10n.t('signed off');
    case 'self-signed':
      return vscode.l10n.t('signed by its author, a senior');
    case 'stale':
      return vscode.l10n.t('stale: changed after sign-off');
    case 'unverified':
      return vscode.l10n.t('unverified sign-off');
    case 'changes-requested':
      return vscode.l10n.t('changes requested');
    default:
      return '';
  }
}

/** "1 AI line", "3 AI lines". */
function aiLines(n: number): string {
  return n === 1 ? vscode.l10n.t('1 AI line') : vscode.l10n.t('{0} AI lines', n);
}

/** A file of a commit as the built-in git extension shows it: a `git:` URI at that revision. */
function gitUri(root: string, repoPath: string, ref: string): vscode.Uri {
  const file = path.join(root, ...repoPath.split('/'));
  return vscode.Uri.from({ scheme: 'git', path: file, query: JSON.stringify({ path: file, ref }) });
}

/** A file of a commit, and the lines to show: what a file or range row of the view opens. */
export interface CommitFileChange {
  root: string;
  commit: string;
  /** The first parent; none for a root commit. */
  parent?: string;
  path: string;
  start: number;
  end: number;
}

/**
 * Opens a commit's change to a file at the given lines: the diff against the first parent where the file was there,
 * else (a file the commit adds, or a root commit) the file as the commit has it. A diff against a parent without the
 * file fails in VS Code with "file not found".
 */
export async function openCommitChange(change: CommitFileChange): Promise<void> {
  const selection = new vscode.Range(change.start - 1, 0, change.end - 1, 0);
  const title = `${path.basename(change.path)} (${change.commit.slice(0, 8)})`;
  const after = gitUri(change.root, change.path, change.commit);
  const before = change.parent ? await readFileAt(change.root, change.parent, change.path) : undefined;
  if (change.parent && before !== undefined) {
    await vscode.commands.executeCommand('vscode.diff', gitUri(change.root, change.path, change.parent), after, title, {
      selection,
    });
    return;
  }
  await vscode.window.showTextDocument(after, { selection, preview: true });
}

/** A row as the tests read it: indented by depth, "label — description", and its viewed box. */
function rowText(item: vscode.TreeItem, depth: number): string {
  const label =
    typeof item.label === 'string'
      ? item.label
      : (item.label?.label ?? (item.resourceUri ? path.basename(item.resourceUri.fsPath) : ''));
  const box =
    item.checkboxState === undefined
      ? ''
      : (typeof item.checkboxState === 'object' ? item.checkboxState.state : item.checkboxState) ===
          vscode.TreeItemCheckboxState.Checked
        ? ' [viewed]'
        : ' [not viewed]';
  return `${'  '.repeat(depth)}${label}${item.description ? ` — ${String(item.description)}` : ''}${box}`;
}

/** Rows beyond which the view redraws without comparing what it shows (refreshTree). */
const MAX_COMPARED_ROWS = 5000;

/**
 * The "Needs Sign-off" view: a thin provider over SignoffModel. Empty states come from viewsWelcome, chosen by
 * the `aiProvenance.signoffView` context key (SignoffWelcome); the badge counts what waits.
 */
export class NeedsSignoffView extends Disposable implements vscode.TreeDataProvider<SignoffNode> {
  private readonly changed = this.register(new vscode.EventEmitter<SignoffNode | SignoffNode[] | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly treeView: vscode.TreeView<SignoffNode>;

  constructor(
    private readonly model: SignoffModel,
    private readonly session?: ReviewSession,
  ) {
    super();
    this.treeView = this.register(
      vscode.window.createTreeView(Views.needsSignoff, { treeDataProvider: this, showCollapseAll: true }),
    );
    this.register(model.onDidChange(state => this.update(state)));
    if (session) {
      // A tick redraws only its own row: a whole-tree redraw would drop a click on the next box (refreshTree).
      this.register(session.onDidChangeReview(() => this.refreshTree(this.ticked.splice(0))));
      // A file row's checkbox: "viewed", kept per patch id by the review session.
      this.register(
        this.treeView.onDidChangeCheckboxState(event => {
          for (const [node, checked] of event.items) {
            if (node.kind !== 'commitFile') continue;
            this.ticked.push(node);
            void session.setViewed(
              [viewedKey(node.review, node.path)],
              checked === vscode.TreeItemCheckboxState.Checked,
            );
          }
        }),
      );
    }
    this.update(model.state);
  }

  private pullRequest: { state: PullRequestState; at: Date; head: string } | undefined;

  /**
   * GitHub's review state of the branch's pull request, read on Refresh, Fetch and Request (undefined: none). Shown
   * while the branch's head is the one it was read at: another branch, or a new commit, hides it until read again.
   */
  setPullRequest(state: PullRequestState | undefined): void {
    const current = this.model.state;
    this.pullRequest =
      state && current.kind === 'ready' ? { state, at: new Date(), head: current.review.head.id } : undefined;
    this.refreshTree();
  }

  private update(state: SignoffState): void {
    if (state.kind === 'ready') {
      this.session?.setWaiting(state.waiting);
      const waiting = state.waiting.length + state.uncommitted.length;
      this.treeView.badge = waiting
        ? {
            value: waiting,
            tooltip:
              waiting === 1
                ? vscode.l10n.t('1 AI-written change waits for sign-off')
                : vscode.l10n.t('{0} AI-written changes wait for sign-off', waiting),
          }
        : undefined;
    } else {
      this.treeView.badge = undefined;
    }
    // No treeView.message: it hides the welcome and its buttons (SignoffWelcome sets the context key).
    this.refreshTree();
  }

  private shown: string | undefined;
  /** Rows whose checkbox was just ticked or cleared, redrawn alone once the session has stored it. */
  private readonly ticked: SignoffNode[] = [];
  /** How many times the tree was redrawn (the tests read it). */
  redraws = 0;

  /**
   * Redraws the tree when what it shows changed (only `rows`, when given). The model recomputes after every edit,
   * save and git event, mostly to the same rows; a redraw for nothing is not free: while VS Code fetches the rows
   * again, a click on a row's checkbox finds no row and is dropped (VS Code 1.100's extension host), so a box ticked
   * then did not stay ticked. What is compared is what each row shows: the command's arguments are left out (a
   * row's node carries the same commit and path), a markdown tooltip by its text.
   */
  private refreshTree(rows: readonly SignoffNode[] = []): void {
    let shown: string | undefined;
    try {
      const items: vscode.TreeItem[] = [];
      this.eachRow(item => {
        // Past this many rows, comparing costs more than it saves (it runs on the extension host's thread).
        if (items.length >= MAX_COMPARED_ROWS) throw new Error('too many rows to compare');
        items.push(item);
      });
      shown = JSON.stringify(items, (key, value: unknown) =>
        key === 'arguments' ? undefined : value instanceof vscode.MarkdownString ? value.value : value,
      );
    } catch {
      shown = undefined; // cannot tell (or too many rows): redraw
    }
    if (shown !== undefined && shown === this.shown) return;
    this.shown = shown;
    this.redraws++;
    this.changed.fire(rows.length > 0 ? [...rows] : undefined);
  }

  getTreeItem(node: SignoffNode): vscode.TreeItem {
    const state = this.model.state;
    const root = state.kind === 'ready' ? state.location.root : '';
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.id}`;
        item.contextValue = `group+${node.id}`;
        return item;
      }
      case 'request': {
        const e = node.entry;
        const item = new vscode.TreeItem(
          printable(e.request.branch ?? e.request.head.slice(0, 12)),
          vscode.TreeItemCollapsibleState.None,
        );
        item.id = `request:${e.request.ref}`;
        const state =
          e.state === 'open'
            ? e.waiting === 1
              ? vscode.l10n.t('1 commit waits')
              : vscode.l10n.t('{0} commits wait', e.waiting)
            : e.state === 'changes-requested'
              ? vscode.l10n.t('changes requested')
              : e.state === 'signed-off'
                ? vscode.l10n.t('signed off')
                : vscode.l10n.t('done');
        item.description = `${state} · ${vscode.l10n.t('from {0}', printable(e.request.by ?? '?'))}`;
        item.iconPath = new vscode.ThemeIcon(
          e.state === 'open' ? 'git-pull-request' : e.state === 'changes-requested' ? 'request-changes' : 'pass',
        );
        const tip = new vscode.MarkdownString();
        tip.appendText(
          vscode.l10n.t(
            'Review requested by {0} on {1}; branch {2} at {3}.',
            e.request.by ?? '?',
            e.request.at.slice(0, 16).replace('T', ' '),
            e.request.branch ?? '-',
            e.tipRef ? `${e.tipRef} (${e.tip.slice(0, 12)})` : e.tip.slice(0, 12),
          ),
        );
        item.tooltip = tip;
        item.contextValue = `request+${e.state}`;
        item.command = {
          command: Commands.checkOutRequest,
          title: vscode.l10n.t('Check Out for Review'),
          arguments: [e],
        };
        return item;
      }
      case 'notice': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `notice:${node.id}`;
        item.iconPath = new vscode.ThemeIcon('info');
        if (node.command) item.command = node.command;
        return item;
      }
      case 'uncommittedFile': {
        const item = new vscode.TreeItem(vscode.Uri.file(node.file.file), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `uncommitted:${node.file.repoPath}`;
        item.description = aiLines(node.file.aiLines);
        item.contextValue = 'uncommittedFile';
        return item;
      }
      case 'hunk': {
        const h = node.hunk;
        const item = new vscode.TreeItem(
          h.start === h.end ? vscode.l10n.t('line {0}', h.start) : vscode.l10n.t('lines {0}–{1}', h.start, h.end),
        );
        item.id = `hunk:${node.file.repoPath}:${h.start}`;
        item.description = [h.class === 'm' ? vscode.l10n.t('mixed') : '', `${h.tool}/${h.kind}`, h.model ?? '']
          .filter(Boolean)
          .join(' · ');
        item.iconPath = new vscode.ThemeIcon('sparkle');
        item.contextValue = 'hunk';
        item.command = {
          command: 'vscode.open',
          title: vscode.l10n.t('Show the lines'),
          arguments: [
            vscode.Uri.file(node.file.file),
            { selection: new vscode.Range(h.start - 1, 0, h.end - 1, Number.MAX_SAFE_INTEGER) },
          ],
        };
        return item;
      }
      case 'commit': {
        const c = node.review;
        const item = new vscode.TreeItem(
          c.commit.subject || c.commit.id.slice(0, 12),
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `commit:${c.commit.id}`;
        const signers = c.requiredSigners > 1 ? ` (${c.signers.length}/${c.requiredSigners})` : '';
        // The state first: a narrow sidebar cuts the end of the description.
        item.description = `${stateLabel(c.state)}${signers} · ${c.commit.id.slice(0, 8)}`;
        item.iconPath = c.state
          ? new vscode.ThemeIcon(STATE_ICONS[c.state], new vscode.ThemeColor(STATE_COLORS[c.state]))
          : new vscode.ThemeIcon('circle-large-outline');
        item.tooltip = new vscode.MarkdownString(
          [
            // What comes from the commit is escaped: a subject or name cannot add markup, links or HTML.
            `**${escapeMarkdown(c.commit.subject)}**`,
            escapeMarkdown(`${c.commit.author.name ?? ''} <${c.commit.author.email}> · ${c.commit.id}`),
            vscode.l10n.t('State: {0}', stateLabel(c.state)),
            c.aiLines !== undefined
              ? vscode.l10n.t('AI lines: {0}', c.aiLines)
              : vscode.l10n.t('AI-Attribution trailer unreadable'),
            c.highRisk
              ? c.requiredSigners === 1
                ? vscode.l10n.t('High-risk paths: {0} (needs 1 senior)', escapeMarkdown(c.highRiskPaths.join(', ')))
                : vscode.l10n.t(
                    'High-risk paths: {0} (needs {1} seniors)',
                    escapeMarkdown(c.highRiskPaths.join(', ')),
                    c.requiredSigners,
                  )
              : '',
            c.signers.length
              ? vscode.l10n.t('Signed off by: {0}', escapeMarkdown(c.signers.map(s => s.email).join(', ')))
              : '',
            c.request
              ? vscode.l10n.t(
                  'Review requested from {0} on {1}',
                  escapeMarkdown(c.request.to.join(', ')),
                  escapeMarkdown(c.request.at),
                )
              : '',
          ]
            .filter(Boolean)
            .join('\n\n'),
        );
        item.contextValue = `commit+${c.state ?? 'none'}`;
        return item;
      }
      case 'commitFile': {
        const item = new vscode.TreeItem(
          vscode.Uri.file(path.join(root, ...node.path.split('/'))),
          node.ranges.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.id = `commitFile:${node.review.commit.id}:${node.path}`;
        const written =
          node.aiLines !== undefined ? aiLines(node.aiLines) : vscode.l10n.t('touched (no line-level record)');
        item.description = node.removedLines
          ? vscode.l10n.t('{0}, {1} removed by AI', written, node.removedLines)
          : written;
        item.contextValue = 'commitFile';
        const waiting = node.review.state !== undefined && !isDone(node.review.state);
        if (this.session && waiting)
          item.checkboxState = this.session.isViewed(viewedKey(node.review, node.path))
            ? { state: vscode.TreeItemCheckboxState.Checked, tooltip: vscode.l10n.t('Viewed') }
            : { state: vscode.TreeItemCheckboxState.Unchecked, tooltip: vscode.l10n.t('Mark as viewed') };
        item.command = this.diffCommand(
          root,
          node.review,
          node.path,
          node.ranges[0]?.start ?? 1,
          node.ranges[0]?.end ?? 1,
        );
        return item;
      }
      case 'range': {
        const r = node.range;
        const item = new vscode.TreeItem(
          r.start === r.end ? vscode.l10n.t('line {0}', r.start) : vscode.l10n.t('lines {0}–{1}', r.start, r.end),
        );
        item.id = `range:${node.review.commit.id}:${node.path}:${r.start}`;
        item.description = [r.tool && r.kind ? `${r.tool}/${r.kind}` : (r.tool ?? ''), r.model ?? '']
          .filter(Boolean)
          .join(' · ');
        item.iconPath = new vscode.ThemeIcon('sparkle');
        item.contextValue = 'range';
        item.command = this.diffCommand(root, node.review, node.path, r.start, r.end);
        return item;
      }
    }
  }

  /** Opens the commit's change to the file, at the AI lines (openChange). */
  private diffCommand(
    root: string,
    review: CommitReview,
    repoPath: string,
    start: number,
    end: number,
  ): vscode.Command {
    const change: CommitFileChange = {
      root,
      commit: review.commit.id,
      ...(review.commit.parents[0] ? { parent: review.commit.parents[0] } : {}),
      path: repoPath,
      start,
      end,
    };
    return { command: Commands.openCommitChange, title: vscode.l10n.t('Open the change'), arguments: [change] };
  }

  /** Every row's command, depth-first, with the row as rows() gives it (tests click through this). */
  rowCommands(): { row: string; command?: vscode.Command }[] {
    const out: { row: string; command?: vscode.Command }[] = [];
    this.eachRow((item, depth) =>
      out.push({ row: rowText(item, depth), ...(item.command ? { command: item.command } : {}) }),
    );
    return out;
  }

  /** Every row, depth-first, as "label — description" (tests read the view through this). */
  rows(): string[] {
    const out: string[] = [];
    this.eachRow((item, depth) => out.push(rowText(item, depth)));
    return out;
  }

  /** Each row's tree item, depth-first, with its depth: every row the tree has, expanded or not. */
  private eachRow(visit: (item: vscode.TreeItem, depth: number) => void): void {
    const walk = (nodes: SignoffNode[], depth: number): void => {
      for (const n of nodes) {
        visit(this.getTreeItem(n), depth);
        walk(this.getChildren(n), depth + 1);
      }
    };
    walk(this.getChildren(), 0);
  }

  getChildren(node?: SignoffNode): SignoffNode[] {
    const state = this.model.state;
    if (state.kind !== 'ready') return [];
    if (!node) {
      const roots: SignoffNode[] = [];
      if (state.inbox.length) roots.push({ kind: 'group', id: 'requests', label: vscode.l10n.t('Requested of Me') });
      const pr = this.pullRequest;
      if (pr && pr.head === state.review.head.id) {
        const parts = [
          pr.state.approvedBy.length ? vscode.l10n.t('approved by {0}', pr.state.approvedBy.join(', ')) : '',
          pr.state.changesRequestedBy.length
            ? vscode.l10n.t('changes requested by {0}', pr.state.changesRequestedBy.join(', '))
            : '',
          pr.state.waitingFor.length ? vscode.l10n.t('waiting for {0}', pr.state.waitingFor.join(', ')) : '',
        ].filter(Boolean);
        roots.push({
          kind: 'notice',
          id: 'pull-request',
          label: vscode.l10n.t(
            'Pull request #{0}: {1} (GitHub, {2})',
            pr.state.number,
            parts.length ? parts.join('; ') : vscode.l10n.t('no review yet'),
            pr.at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
          ),
        });
      }
      if (state.uncommitted.length)
        roots.push({ kind: 'group', id: 'uncommitted', label: vscode.l10n.t('Uncommitted') });
      const shown = state.review.report.commits.filter(c => c.needsSignoff);
      if (shown.length)
        roots.push({ kind: 'group', id: 'commits', label: vscode.l10n.t('Commits ahead of {0}', state.base) });
      if (roots.length && (!state.review.roster || state.review.roster.isEmpty)) {
        roots.push({
          kind: 'notice',
          id: 'no-roster',
          label: vscode.l10n.t('Create a starter policy and roster'),
          command: { command: 'aiProvenance.createStarterPolicy', title: '' },
        });
      }
      return roots;
    }
    switch (node.kind) {
      case 'group':
        if (node.id === 'requests') return state.inbox.map(entry => ({ kind: 'request', entry }));
        return node.id === 'uncommitted'
          ? state.uncommitted.map(file => ({ kind: 'uncommittedFile', file }))
          : [...state.review.report.commits]
              .filter(c => c.needsSignoff)
              .reverse()
              .map(review => ({ kind: 'commit', review }));
      case 'uncommittedFile':
        return node.file.hunks.map(hunk => ({ kind: 'hunk', file: node.file, hunk }));
      case 'commit': {
        const c = node.review;
        if (c.commit.aiPaths)
          return c.commit.aiPaths.map(p => ({
            kind: 'commitFile',
            review: c,
            path: p.path,
            aiLines: p.aiLines,
            ...(p.removed?.length ? { removedLines: removedLineCount(p) } : {}),
            ranges: [...(p.ranges ?? [])],
          }));
        return (c.commit.paths ?? []).map(p => ({ kind: 'commitFile', review: c, path: p, ranges: [] }));
      }
      case 'commitFile':
        return node.ranges.map(range => ({ kind: 'range', review: node.review, path: node.path, range }));
      default:
        return [];
    }
  }
}
