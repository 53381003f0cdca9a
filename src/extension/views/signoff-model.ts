import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { classifyLines, summarize, type Segment } from '../../core/attribution/lines';
import type { Logger } from '../../core/log';
import { isDone, type CommitReview } from '../../core/review/review';
import { decodeRuns } from '../../core/formats/stored-runs';
import { statusOf } from '../../io/git/queries';
import { openRunsStore } from '../../io/attribution/runs-store';
import { locateRepository, type RepositoryLocation } from '../../io/git/repository';
import { defaultBase, reviewWithDetails, type BranchReview } from '../../io/review/branch-review';
import { myAddresses, requestsOfMe, type InboxEntry } from '../../io/review/inbox';
import { PolicyFileError } from '../../io/review/base-policy';
import { Disposable } from '../platform/lifecycle';
import type { ProvenanceTracker } from '../tracking/tracker';

/** An AI hunk of an uncommitted file: consecutive AI lines of one tool and kind. */
export interface UncommittedHunk extends Segment {
  model?: string;
}

export interface UncommittedFile {
  /** Absolute path. */
  file: string;
  repoPath: string;
  aiLines: number;
  hunks: UncommittedHunk[];
}

export type SignoffState =
  | { kind: 'loading' }
  | { kind: 'noRepository' }
  | { kind: 'noBase'; root: string }
  | {
      kind: 'error';
      root?: string;
      message: string;
      /** When the base's policy or roster does not read: that file (repository path) and the base. */
      policyFile?: { path: string; base: string };
    }
  | {
      kind: 'ready';
      location: RepositoryLocation;
      base: string;
      review: BranchReview;
      uncommitted: UncommittedFile[];
      waiting: CommitReview[];
      /** Review requests carried in git that ask this clone's user (Requested of Me). */
      inbox: InboxEntry[];
    };

/** The repository a state is about, when it knows one. */
export function rootOf(state: SignoffState): string | undefined {
  return state.kind === 'ready'
    ? state.location.root
    : state.kind === 'noBase' || state.kind === 'error'
      ? state.root
      : undefined;
}

const DEBOUNCE_MS = 600;
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * What the "Needs Sign-off" view shows, recomputed off the typing path (debounced) when the tracker, the
 * repository (commit, checkout, fetch) or the settings change: AI lines not committed yet, and the branch's
 * commits ahead of its base with their review state.
 */
export class SignoffModel extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<SignoffState>());
  readonly onDidChange = this.changed.event;
  private current: SignoffState = { kind: 'loading' };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRequest = 0;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly tracker: ProvenanceTracker,
    private readonly baseSetting: () => string,
    private readonly logger: Logger,
  ) {
    super();
    this.register(tracker.onDidChange(() => this.schedule()));
  }

  get state(): SignoffState {
    return this.current;
  }

  /**
   * Refreshes once things have been quiet for DEBOUNCE_MS. Called on every keystroke through the tracker, so it
   * only notes the time; one timer checks it and re-arms while changes keep coming.
   */
  schedule(): void {
    this.lastRequest = Date.now();
    if (this.timer) return;
    const check = (): void => {
      const wait = this.lastRequest + DEBOUNCE_MS - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(check, wait);
        return;
      }
      this.timer = undefined;
      void this.refresh();
    };
    this.timer = setTimeout(check, DEBOUNCE_MS);
  }

  /** Recomputes now; concurrent calls run once more after the current run. */
  async refresh(): Promise<SignoffState> {
    if (this.running) {
      this.again = true;
      await this.running;
      return this.current;
    }
    this.running = (async () => {
      do {
        this.again = false;
        this.current = await this.compute();
        this.changed.fire(this.current);
      } while (this.again);
    })().finally(() => (this.running = undefined));
    await this.running;
    return this.current;
  }

  /** The repository of the active file, else of the first workspace folder in one. */
  private async location(): Promise<RepositoryLocation | undefined> {
    const candidates: string[] = [];
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === 'file') candidates.push(path.dirname(active.fsPath));
    for (const f of vscode.workspace.workspaceFolders ?? []) candidates.push(f.uri.fsPath);
    for (const folder of candidates) {
      try {
        return await locateRepository(folder);
      } catch {
        // not in a repository
      }
    }
    return undefined;
  }

  private async compute(): Promise<SignoffState> {
    const location = await this.location();
    if (!location) return { kind: 'noRepository' };
    try {
      const base = this.baseSetting() || (await defaultBase(location.root, this.logger));
      if (!base) return { kind: 'noBase', root: location.root };
      const review = await reviewWithDetails({ location, base, logger: this.logger });
      const uncommitted = await this.uncommitted(location);
      const waiting = review.report.commits.filter(c => c.needsSignoff && !isDone(c.state));
      const inbox = await requestsOfMe({
        location,
        me: await myAddresses(location.root, this.logger),
        base,
        logger: this.logger,
      }).catch((error: unknown) => {
        this.logger.warn(`Requested of Me: ${(error as Error).message}`);
        return [];
      });
      return { kind: 'ready', location, base, review, uncommitted, waiting, inbox };
    } catch (error) {
      this.logger.warn(`Needs Sign-off: ${(error as Error).message}`);
      return {
        kind: 'error',
        root: location.root,
        message: (error as Error).message,
        ...(error instanceof PolicyFileError ? { policyFile: { path: error.file, base: error.base } } : {}),
      };
    }
  }

  /** Files changed since HEAD whose AI lines are known: from the editor when it tracks them, else the store. */
  private async uncommitted(location: RepositoryLocation): Promise<UncommittedFile[]> {
    // Deleted files have no lines; a renamed file is listed under its new path.
    const paths = (await statusOf(location.root, this.logger))
      .filter(e => e.index !== 'D' && e.worktree !== 'D')
      .map(e => e.path);
    const store = openRunsStore(location, this.logger);
    const files: UncommittedFile[] = [];
    for (const repoPath of paths.sort()) {
      const file = path.join(location.root, ...repoPath.split('/'));
      let report;
      if (this.tracker.isTracked(file)) {
        report = this.tracker.engine.lines(file);
      } else {
        try {
          const stat = fs.statSync(file);
          if (!stat.isFile() || stat.size > MAX_FILE_BYTES) continue;
          const content = fs.readFileSync(file);
          const record = await store.readRunsForText(repoPath, content);
          if (!record) continue;
          const text = content.toString('utf8');
          report = classifyLines(text, decodeRuns(record.runs, text.length));
        } catch {
          continue;
        }
      }
      const summary = summarize(report);
      if (summary.ai + summary.mixed === 0) continue;
      const hunks = summary.segments.map(s => {
        const model = report.dominant[s.start - 1]?.model;
        return model ? { ...s, model } : { ...s };
      });
      files.push({ file, repoPath, aiLines: summary.ai + summary.mixed, hunks });
    }
    return files;
  }

  override dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    super.dispose();
  }
}
