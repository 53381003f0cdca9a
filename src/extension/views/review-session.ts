import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import type { CommitReview } from '../../core/review/review';
import { reviewFiles, type MarkedRange, type ReviewComment, type ReviewFile } from '../../core/review/review-files';
import { readFileAt } from '../../io/git/cat-file';
import { ContextKeys } from '../platform/ids';
import { Disposable } from '../platform/lifecycle';

/** The scheme of the review's read-only file versions: a file at a commit (or nothing, for a side without it). */
export const REVIEW_SCHEME = 'ai-provenance-review';

interface SideQuery {
  root: string;
  /** The commit to read the file at; absent: an empty side (the file is added or deleted). */
  commit?: string;
  path: string;
  /** Which side of a commit's diff this is: the marks differ (AI-written lines after, AI-removed lines before). */
  side: 'before' | 'after';
  /** The reviewed commit (both sides): which marks and which comments belong here. */
  reviewed: string;
}

function sideUri(q: SideQuery): vscode.Uri {
  // The path shows in tab titles and the multi-diff's headers: the file's path, under the reviewed commit's short id.
  return vscode.Uri.from({
    scheme: REVIEW_SCHEME,
    path: `/${q.reviewed.slice(0, 8)}/${q.path}`,
    query: JSON.stringify(q),
  });
}

function parseSide(uri: vscode.Uri): SideQuery | undefined {
  if (uri.scheme !== REVIEW_SCHEME) return undefined;
  try {
    const q = JSON.parse(uri.query) as Partial<SideQuery>;
    if (typeof q.root !== 'string' || typeof q.path !== 'string' || typeof q.reviewed !== 'string') return undefined;
    if (q.side !== 'before' && q.side !== 'after') return undefined;
    return {
      root: q.root,
      path: q.path,
      side: q.side,
      reviewed: q.reviewed,
      ...(typeof q.commit === 'string' ? { commit: q.commit } : {}),
    };
  } catch {
    return undefined;
  }
}

/** What a Review opened: its files, and the head it was opened at. */
export interface OpenedReview {
  readonly title: string;
  readonly files: readonly ReviewFile[];
  readonly entries: number;
}

/**
 * The senior's review of the AI-assisted commits that wait for them: every commit's files in VS Code's multi-file
 * diff editor (files with AI lines first), AI-written lines marked on the new side and AI-removed lines on the old
 * side, each file checkable as viewed (kept per patch id, so a changed patch is unviewed again), and comments per
 * file or line that go into the sign-off (or the request for changes).
 */
export class ReviewSession extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Viewed marks or comments changed. */
  readonly onDidChangeReview = this.changed.event;
  private readonly aiType: vscode.TextEditorDecorationType;
  private readonly removedType: vscode.TextEditorDecorationType;
  /** Marks per reviewed commit and path. */
  private readonly marks = new Map<string, { ai: readonly MarkedRange[]; removed: readonly MarkedRange[] }>();
  private readonly controller: vscode.CommentController;
  private readonly threads: vscode.CommentThread[] = [];
  /** The files that need a look in what the sidebar shows now (set by the view): for the "all viewed" context key. */
  private required: readonly ReviewFile[] = [];
  /** What decorate() last drew per document: the marked ranges, whole. */
  private readonly drawn = new Map<string, vscode.Range[]>();

  constructor(
    extensionUri: vscode.Uri,
    private readonly memento: vscode.Memento,
    private readonly logger: Logger,
  ) {
    super();
    this.register(
      vscode.workspace.registerTextDocumentContentProvider(REVIEW_SCHEME, {
        provideTextDocumentContent: uri => this.provideTextDocumentContent(uri),
      }),
    );
    const hover = (what: string): vscode.DecorationRenderOptions => ({
      isWholeLine: true,
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      overviewRulerColor: new vscode.ThemeColor('aiProvenance.aiLineForeground'),
      borderStyle: 'solid',
      borderWidth: '0 0 0 3px',
      borderColor: new vscode.ThemeColor('aiProvenance.aiLineForeground'),
      after: { contentText: what, color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em' },
    });
    this.aiType = this.register(
      vscode.window.createTextEditorDecorationType({
        ...hover(''),
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'gutter-ai.svg'),
        gutterIconSize: 'contain',
      }),
    );
    this.removedType = this.register(vscode.window.createTextEditorDecorationType(hover('')));
    this.register(vscode.window.onDidChangeVisibleTextEditors(editors => this.decorate(editors)));
    this.controller = this.register(vscode.comments.createCommentController('aiProvenance.review', 'AI review'));
    this.controller.commentingRangeProvider = {
      provideCommentingRanges: (document: vscode.TextDocument) => {
        const side = parseSide(document.uri);
        return side?.side === 'after' && document.lineCount > 0
          ? [new vscode.Range(0, 0, document.lineCount - 1, 0)]
          : [];
      },
    };
    this.controller.options = {
      prompt: vscode.l10n.t('Comment for the sign-off or the request for changes'),
      placeHolder: vscode.l10n.t('What should the author know about these lines?'),
    };
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const side = parseSide(uri);
    if (!side?.commit) return '';
    const bytes = await readFileAt(side.root, side.commit, side.path, this.logger);
    return bytes ? bytes.toString('utf8') : '';
  }

  // Viewed marks

  private viewedKeys(): Record<string, true> {
    return this.memento.get<Record<string, true>>('aiProvenance.review.viewed') ?? {};
  }

  isViewed(key: string): boolean {
    return this.viewedKeys()[key] === true;
  }

  async setViewed(keys: readonly string[], viewed: boolean): Promise<void> {
    const all = { ...this.viewedKeys() };
    for (const key of keys) {
      if (viewed) all[key] = true;
      else delete all[key];
    }
    await this.memento.update('aiProvenance.review.viewed', all);
    this.updateContext();
    this.changed.fire();
  }

  /** The sidebar tells which commits wait: the files that need a look, for the "every file viewed" state. */
  setWaiting(commits: readonly CommitReview[]): void {
    this.required = reviewFiles(commits).filter(f => f.needsLook);
    this.updateContext();
  }

  /** Files that need a look and are not marked viewed, among `commits`' (default: what waits now). */
  notViewed(commits?: readonly CommitReview[]): ReviewFile[] {
    const files = commits ? reviewFiles(commits).filter(f => f.needsLook) : this.required;
    return files.filter(f => !this.isViewed(f.viewedKey));
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', ContextKeys.allAiFilesViewed, this.notViewed().length === 0);
  }

  // Comments

  comments(): ReviewComment[] {
    return this.memento.get<ReviewComment[]>('aiProvenance.review.comments') ?? [];
  }

  /** The comments on `commits` (those a sign-off or request for changes of them carries). */
  commentsOn(commits: readonly CommitReview[]): ReviewComment[] {
    const ids = new Set(commits.map(c => c.commit.id));
    return this.comments().filter(c => ids.has(c.commit));
  }

  async addComment(comment: ReviewComment): Promise<void> {
    await this.memento.update('aiProvenance.review.comments', [...this.comments(), comment]);
    this.changed.fire();
  }

  /** Forgets the comments a record now carries, and their threads. */
  async clearComments(commits: readonly CommitReview[]): Promise<void> {
    const ids = new Set(commits.map(c => c.commit.id));
    await this.memento.update(
      'aiProvenance.review.comments',
      this.comments().filter(c => !ids.has(c.commit)),
    );
    for (const thread of this.threads.splice(0)) thread.dispose();
    this.changed.fire();
  }

  /** A reply typed into a comment thread of the review's diff (the thread's Add Comment button). */
  async replyFromThread(reply: vscode.CommentReply): Promise<void> {
    const side = parseSide(reply.thread.uri);
    const text = reply.text.trim();
    if (!side || !text) return;
    const line = (reply.thread.range?.start.line ?? 0) + 1;
    reply.thread.comments = [
      ...reply.thread.comments,
      {
        body: new vscode.MarkdownString().appendText(text),
        mode: vscode.CommentMode.Preview,
        author: { name: vscode.l10n.t('You') },
      },
    ];
    reply.thread.canReply = false;
    if (!this.threads.includes(reply.thread)) this.threads.push(reply.thread);
    await this.addComment({ commit: side.reviewed, path: side.path, line, text });
  }

  // Opening

  /**
   * Opens `commits` in the multi-file diff editor (one entry per commit and file, files that need a look first).
   * Where this VS Code has no multi-file diff editor, the first file opens in a diff editor.
   */
  async open(root: string, commits: readonly CommitReview[]): Promise<OpenedReview | undefined> {
    const files = reviewFiles(commits);
    if (files.length === 0) return undefined;
    // Each entry: [label, old side, new side]. An added file has no old side and a deleted one no new side, so the
    // multi-file diff editor shows them one-sided, as for git's own changes; the empty sides are kept for the
    // diff editor fallback.
    const entries: [vscode.Uri, vscode.Uri | undefined, vscode.Uri | undefined][] = [];
    const fallback: [vscode.Uri, vscode.Uri][] = [];
    for (const f of files) {
      const commit = f.review.commit;
      const parent = commit.parents[0];
      const [before, after] = await Promise.all([
        parent ? readFileAt(root, parent, f.path, this.logger) : Promise.resolve(undefined),
        readFileAt(root, commit.id, f.path, this.logger),
      ]);
      const common = { root, path: f.path, reviewed: commit.id };
      const beforeUri = sideUri({
        ...common,
        side: 'before',
        ...(before !== undefined && parent ? { commit: parent } : {}),
      });
      const afterUri = sideUri({ ...common, side: 'after', ...(after !== undefined ? { commit: commit.id } : {}) });
      this.marks.set(`${commit.id}\0${f.path}`, { ai: f.aiRanges, removed: f.removedRanges });
      const oneSided = (before === undefined) !== (after === undefined);
      entries.push([
        after !== undefined ? afterUri : beforeUri,
        oneSided && before === undefined ? undefined : beforeUri,
        oneSided && after === undefined ? undefined : afterUri,
      ]);
      fallback.push([beforeUri, afterUri]);
    }
    const n = commits.length;
    const title =
      n === 1
        ? vscode.l10n.t('AI review: {0}', commits[0]!.commit.subject || commits[0]!.commit.id.slice(0, 12))
        : vscode.l10n.t('AI review: {0} commits', n);
    try {
      await vscode.commands.executeCommand('vscode.changes', title, entries);
    } catch (error) {
      this.logger.warn(`multi-file diff editor: ${(error as Error).message}; opening the first file`);
      const [before, after] = fallback[0]!;
      await vscode.commands.executeCommand('vscode.diff', before, after, title);
    }
    this.decorate(vscode.window.visibleTextEditors);
    return { title, files, entries: entries.length };
  }

  /** The AI marks last drawn on a visible editor of `document` (tests read them through the extension's API). */
  marksOf(document: vscode.TextDocument): { ai: vscode.Range[]; removed: vscode.Range[] } {
    const drawn = this.drawn.get(document.uri.toString()) ?? [];
    return parseSide(document.uri)?.side === 'after' ? { ai: drawn, removed: [] } : { ai: [], removed: drawn };
  }

  private decorate(editors: readonly vscode.TextEditor[]): void {
    for (const editor of editors) {
      const side = parseSide(editor.document.uri);
      if (!side) continue;
      const marks = this.marks.get(`${side.reviewed}\0${side.path}`);
      const list = side.side === 'after' ? (marks?.ai ?? []) : (marks?.removed ?? []);
      const options = list
        .filter(r => r.start >= 1 && r.start <= editor.document.lineCount)
        .map(r => {
          const who = [r.tool && r.kind ? `${r.tool}/${r.kind}` : (r.tool ?? 'AI'), r.model]
            .filter(Boolean)
            .join(' · ');
          const hover = new vscode.MarkdownString();
          hover.appendText(
            side.side === 'after' ? vscode.l10n.t('Written by AI: {0}', who) : vscode.l10n.t('Removed by AI: {0}', who),
          );
          return {
            range: new vscode.Range(r.start - 1, 0, Math.min(r.end, editor.document.lineCount) - 1, 0),
            hoverMessage: hover,
            renderOptions: {
              after: {
                contentText:
                  side.side === 'after' ? vscode.l10n.t('AI: {0}', who) : vscode.l10n.t('removed by AI: {0}', who),
              },
            },
          };
        });
      // Only the first line of a range carries the label: the rest get the bar alone.
      const labelled = options.flatMap(o =>
        o.range.start.line === o.range.end.line
          ? [o]
          : [
              { ...o, range: new vscode.Range(o.range.start, o.range.start) },
              {
                range: new vscode.Range(o.range.start.line + 1, 0, o.range.end.line, 0),
                hoverMessage: o.hoverMessage,
              },
            ],
      );
      editor.setDecorations(side.side === 'after' ? this.aiType : this.removedType, labelled);
      this.drawn.set(
        editor.document.uri.toString(),
        options.map(o => o.range),
      );
    }
  }
}
