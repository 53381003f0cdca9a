import type { Engine } from '../../core/attribution/engine';
import type { Logger } from '../../core/log';
import { isAi, type Run } from '../../core/attribution/origin';
import { relabelUnexplained } from '../../core/agents/apply';
import { decodeRuns, encodeRuns } from '../../core/formats/stored-runs';
import { AGENT_INGEST_LOCK } from '../../io/agents/ingest';
import { writeBlob } from '../../io/git/queries';
import { LockTimeoutError } from '../../io/store/lock';
import type { FileRepository, Repositories } from '../platform/repositories';

/** A dirty document's attribution is saved this long after its last change, so a crash loses little. */
const IDLE_PERSIST_MS = 3000;

interface PathState {
  /**
   * Whether something happened in the editor since the attribution was loaded (an edit, a mark, an agent's edit
   * shown here). Only then is it stored: storing what was just loaded, or a reload's re-anchoring, would
   * overwrite an exact record with less (AI text turned unknown).
   */
  edited: boolean;
  idle?: ReturnType<typeof setTimeout> | undefined;
  lastChange?: number;
}

/**
 * Storing the attribution of open documents in their repository's local state (docs/local-state.md): on save,
 * close, rename, after a few idle seconds, and on flush; keyed by the blob id of the text, and for AI text the
 * text itself too (as a git blob), so a later re-anchoring finds it.
 */
export class Persistence {
  private readonly states = new Map<string, PathState>();
  private readonly inFlight = new Set<Promise<void>>();
  /** The last store of each repository (by its state folder): the next one waits for it. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly engine: Engine,
    private readonly repos: Repositories,
    private readonly logger: Logger,
  ) {}

  opened(path: string): void {
    this.states.set(path, { edited: false });
  }

  /** Something happened to `path` in the editor: its attribution is worth storing. */
  edited(path: string): void {
    const state = this.states.get(path);
    if (state) state.edited = true;
  }

  /**
   * Stores a file's attribution once it has been idle for IDLE_PERSIST_MS. On the typing path this only notes
   * the time: one timer per document checks, and re-arms while changes keep coming.
   */
  schedule(path: string): void {
    const state = this.states.get(path);
    if (!state) return;
    state.lastChange = Date.now();
    if (state.idle) return;
    const check = (): void => {
      const wait = (state.lastChange ?? 0) + IDLE_PERSIST_MS - Date.now();
      if (wait > 0) {
        state.idle = setTimeout(check, wait);
        return;
      }
      state.idle = undefined;
      this.persistSoon(path);
    };
    state.idle = setTimeout(check, IDLE_PERSIST_MS);
  }

  /**
   * Stores the document's attribution if it was edited; `force` stores it anyway (a rename). The text and runs are
   * taken now, so the document may be forgotten right after.
   */
  persistSoon(path: string, force = false, state = this.states.get(path)): void {
    if (!this.engine.has(path) || (!force && !state?.edited)) return;
    if (state) state.edited = false;
    const text = this.engine.text(path);
    const runs = this.engine.runs(path);
    const p = this.persist(path, text, runs).catch(error => {
      if (state) state.edited = true;
      this.logger.warn(`could not store the attribution of ${path}: ${(error as Error).message}`);
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** The document closed: stores it when asked (and edited), then forgets its timers. */
  closed(path: string, store: boolean): void {
    const state = this.states.get(path);
    if (!state) return;
    if (state.idle) clearTimeout(state.idle);
    this.states.delete(path);
    if (store) this.persistSoon(path, false, state);
  }

  /** A file renamed while closed: its stored record follows it. */
  async moveStored(from: string, to: string): Promise<void> {
    const [oldRepo, newRepo] = await Promise.all([this.repos.forFile(from), this.repos.forFile(to)]);
    if (!oldRepo || !newRepo || oldRepo.location.stateDir !== newRepo.location.stateDir) return;
    const latest = await oldRepo.store.readLatest(oldRepo.repoPath);
    if (latest) await newRepo.store.writeRunsForBlob(newRepo.repoPath, latest.blob, latest.runs);
  }

  /** Stores every open document now and waits for all stores to finish (deactivate, tests). */
  async flush(): Promise<void> {
    for (const [path, state] of this.states) {
      if (state.idle) clearTimeout(state.idle);
      state.idle = undefined;
      this.persistSoon(path, false, state);
    }
    await Promise.all([...this.inFlight]);
  }

  dispose(): void {
    for (const state of this.states.values()) if (state.idle) clearTimeout(state.idle);
  }

  private async persist(path: string, text: string, editorRuns: Run[]): Promise<void> {
    const repo = await this.repos.forFile(path);
    if (!repo) return;
    // One store at a time per repository: each takes the ingestion's lock file, and stores racing for it would only
    // wait on each other (a flush of many documents, the stores after an ingestion).
    const key = repo.location.stateDir;
    const run = (this.queues.get(key) ?? Promise.resolve()).then(() => this.store(repo, path, text, editorRuns));
    this.queues.set(
      key,
      run.catch(() => undefined),
    );
    await run;
  }

  private async store(repo: FileRepository, path: string, text: string, editorRuns: Run[]): Promise<void> {
    // A record of this very text may be exacter than the editor (an agent hook's, ingested while the file was not
    // open here): what the editor could not name, or named only from a chat session, takes that record's AI labels.
    // Under the ingestion's lock, so a hook record stored meanwhile is read, not overwritten.
    let runs: Run[];
    try {
      runs = await repo.store.withLock(AGENT_INGEST_LOCK, async () => {
        const stored = await repo.store.readRunsForText(repo.repoPath, text).catch(() => undefined);
        let merged = editorRuns;
        if (stored) {
          try {
            merged = relabelUnexplained(editorRuns, decodeRuns(stored.runs, text.length));
          } catch (error) {
            this.logger.warn(
              `the stored attribution of ${path} does not read (${(error as Error).message}); replacing it`,
            );
          }
        }
        await repo.store.writeRuns(repo.repoPath, text, encodeRuns(merged));
        return merged;
      });
    } catch (error) {
      if (!(error instanceof LockTimeoutError)) throw error;
      // Another process has held the ingestion for long: what the editor knows is stored all the same, unmerged.
      this.logger.warn(`${error.message}; storing the attribution of ${path} without reading the stored record`);
      runs = editorRuns;
      await repo.store.writeRuns(repo.repoPath, text, encodeRuns(runs));
    }
    if (runs.some(r => isAi(r.origin))) {
      // Lets a later session re-anchor from this text when the file has changed meanwhile.
      await writeBlob(repo.location.root, text);
    }
  }
}
