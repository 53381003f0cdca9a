import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { reanchorTo } from '../../core/agents/apply';
import { callPaths, mapCallPaths, type AgentCall, type AgentFileTexts } from '../../core/agents/call';
import {
  AgentRecordError,
  isAgentSpoolRecord,
  parseAgentSpoolRecord,
  recordFileTexts,
  type AgentSpoolRecord,
} from '../../core/agents/record';
import { Engine } from '../../core/attribution/engine';
import { callDeletions } from '../../core/agents/deletions';
import { recordDeletions } from '../attribution/ai-deletions';
import { EngineError } from '../../core/attribution/errors';
import type { Logger } from '../../core/log';
import { printable } from '../../core/review/packet';
import { encodeRuns } from '../../core/formats/stored-runs';
import { isAi, type Run } from '../../core/attribution/origin';
import { ensureBlobs } from '../git/queries';
import { pooled } from '../../core/pool';
import { AGENT_HOOK_LIMITS, keepLostRecord, modelOfCall, readTextFile } from './capture';
import { openRunsStore, type RunsStore } from '../attribution/runs-store';
import type { RepositoryLocation } from '../git/repository';
import { Spool } from '../store/spool';
import { bestRecord } from '../attribution/best-record';
import { STATE_LAYOUT } from '../store/state-file';

/**
 * Spool ingestion for files the editor does not hold open (docs/capture.md and docs/local-state.md): drains the agent hook
 * records of the spool and, file by file, brings the stored attribution up to date.
 *
 * For each record, oldest first: every file it names is loaded once from the runs store (the best record for
 * its work tree text, src/io/attribution/best-record.ts: exact, else the latest with the text it describes), the
 * record's call is applied by the engine exactly as a replay applies it, and the result is
 * written back for the file's current work tree text (re-anchored when the work tree moved on since), so the
 * commit hook and `status` find it by blob id. A record is removed from the spool only after its effect is
 * stored; a crash in between delivers it again, and applying a record twice changes nothing.
 *
 * Records of another type in the spool are not ours: they are appended again, unchanged, for their consumer.
 */

/**
 * The lock of ingestion, and of the editor storing a file's attribution: both read the stored record of a text,
 * merge, and write it back, and neither may lose the other's write.
 */
export const AGENT_INGEST_LOCK = 'agent-ingest';

export interface AgentIngestOptions {
  /**
   * The editor's engine. Files open in it take the records' effect in memory (the editor stores them when it
   * saves); every other file goes through the runs store as above.
   */
  engine?: Engine;
  /** How the engine names a repository path (the extension's engine keys files by absolute path). Default: as is. */
  enginePath?: (repoPath: string) => string;
  /** Most records taken in one call (default: all). */
  max?: number;
  /** Told of each call applied to the engine's open documents, in engine paths (the editor records it in a trace). */
  onEngineCall?: (call: AgentCall, files: ReadonlyMap<string, AgentFileTexts>, at: string) => void;
}

export interface AgentIngestResult {
  /** Agent records applied. */
  records: number;
  /** Repository paths whose stored attribution was written. */
  files: string[];
  /** Files a record could not be applied to, and why. */
  skipped: { path: string; reason: string }[];
  /** Records that could not be read or applied, and failures of the drain; also logged as warnings. */
  problems: string[];
  /**
   * Records were left untaken: the drain stopped on a failure (they wait in the spool) or could not run. What is
   * attributed now may lack their lines, so a commit must be marked for review.
   */
  incomplete: boolean;
  /** Records that did not read and were kept as files asking for review (keepLostRecord). */
  lost: number;
}

/** The call and texts restricted to some paths (for splitting a record between the editor and the store). */
function restrict(
  call: AgentCall,
  files: Map<string, AgentFileTexts>,
  keep: (p: string) => boolean,
): { call: AgentCall; files: Map<string, AgentFileTexts> } {
  return {
    call: { ...call, edits: call.edits.filter(e => keep(e.path)) },
    files: new Map([...files].filter(([p]) => keep(p))),
  };
}

class StoreIngest {
  private readonly engine = new Engine();
  private readonly loaded = new Set<string>();
  readonly written = new Set<string>();
  /** Paths the records changed, stored once all records are applied (persistAll). */
  private readonly changed = new Set<string>();

  constructor(
    private readonly location: RepositoryLocation,
    private readonly store: RunsStore,
    private readonly logger: Logger,
  ) {}

  private abs(repoPath: string): string {
    return path.join(this.location.root, ...repoPath.split('/'));
  }

  /** Loads the best stored record of a path (best-record.ts) into the engine, once: for its work tree text first. */
  async load(repoPath: string, texts: AgentFileTexts | undefined): Promise<void> {
    if (this.loaded.has(repoPath)) return;
    this.loaded.add(repoPath);
    const disk = readTextFile(this.abs(repoPath), AGENT_HOOK_LIMITS.fileBytes);
    const candidates = [texts?.before, texts?.after].filter((t): t is string => t !== undefined);
    const text = 'text' in disk ? disk.text : undefined;
    const found = await bestRecord(this.store, {
      paths: [repoPath],
      text,
      candidates,
      root: this.location.root,
      logger: this.logger,
    });
    // A text that an earlier record of this drain left under another path (a file written, then moved by a shell
    // command) is not in the store yet: it is stored once all records are applied. It is newer than anything there
    // but a record of this very path, as the store's search across paths would have found it.
    const unstored = text === undefined || (found?.exact && found.path === repoPath) ? undefined : this.unstored(text);
    if (unstored) {
      this.logger.debug(`${repoPath}: the text ${unstored} held, moved here`);
      this.engine.restore(repoPath, text!, this.engine.runs(unstored));
      return;
    }
    if (!found) {
      this.logger.debug(`${repoPath}: no usable attribution record; starting from the hook's snapshots`);
      return;
    }
    try {
      this.engine.restore(repoPath, found.text, found.runs);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      this.logger.warn(`ignoring the attribution record of ${repoPath} (${found.blob}): ${error.message}`);
    }
  }

  apply(call: AgentCall, files: Map<string, AgentFileTexts>, at: string): { path: string; reason: string }[] {
    const report = this.engine.applyAgentCall(call, { files, at });
    for (const p of report.changed) this.changed.add(p);
    return report.skipped;
  }

  /** A path the records changed whose text is `text`, not stored yet. */
  private unstored(text: string): string | undefined {
    for (const p of this.changed) if (this.engine.has(p) && this.engine.text(p) === text) return p;
    return undefined;
  }

  /**
   * Stores every path the records changed (see persist), several at a time (each record is two synced writes: the
   * disk's flushes overlap), then the texts with AI runs in git, in one go.
   */
  async persistAll(): Promise<void> {
    const texts: { text: string; id: string }[] = [];
    await pooled([...this.changed], 8, async p => {
      texts.push(...(await this.persist(p)));
    });
    this.changed.clear();
    await ensureBlobs(this.location.root, texts, this.logger);
  }

  /**
   * Stores a path's attribution for its current work tree text (or, when the file is gone, for the last text known).
   * Returns the texts, with their blob ids, that git must hold.
   */
  private async persist(repoPath: string): Promise<{ text: string; id: string }[]> {
    if (!this.engine.has(repoPath)) return [];
    const disk = readTextFile(this.abs(repoPath), AGENT_HOOK_LIMITS.fileBytes);
    if ('note' in disk) return []; // binary or too large: nothing to attribute
    const texts: { text: string; id: string }[] = [];
    // The record describes its text: keep the text too, as the editor does, or the next change outside the editor
    // finds a record whose text is gone and every AI line in it turns unknown.
    const store = async (text: string, runs: readonly Run[]): Promise<void> => {
      const record = await this.store.writeRuns(repoPath, text, encodeRuns(runs));
      if (runs.some(r => isAi(r.origin))) texts.push({ text, id: record.blob });
    };
    const text = this.engine.text(repoPath);
    const runs = this.engine.runs(repoPath);
    // A file moved or deleted since the tool ran keeps the record of the text the tool left, keyed by that text:
    // where the text turns up again (the file moved, or came back), the commit hook finds it by its blob id. A file
    // whose text differs from the tool's keeps that record too: the difference may be set aside for a moment (the
    // pre-commit framework stashes what is not staged while the commit's hooks run) and come back.
    if (!('text' in disk) || disk.text === text) await store(text, runs);
    else {
      await store(text, runs);
      await store(disk.text, reanchorTo({ text, runs }, disk.text));
    }
    this.written.add(repoPath);
    return texts;
  }
}

/** Whether a drain left claimed records behind (a crashed drain: the next drain returns them). */
async function hasClaims(spoolDir: string): Promise<boolean> {
  try {
    return (await fsp.readdir(path.join(spoolDir, STATE_LAYOUT.claimed))).length > 0;
  } catch {
    return false;
  }
}

/**
 * Drains the spool's agent hook records into the runs store (and, with `options.engine`, into the editor's
 * open documents). Never throws for a bad record or a failed drain: those are logged and reported.
 */
export async function ingestAgentSpool(
  location: RepositoryLocation,
  logger: Logger,
  options: AgentIngestOptions = {},
): Promise<AgentIngestResult> {
  const result: AgentIngestResult = {
    records: 0,
    files: [],
    skipped: [],
    problems: [],
    incomplete: false,
    lost: 0,
  };
  const problem = (message: string): void => {
    result.problems.push(message);
    logger.warn(message);
  };
  const spool = new Spool(location, logger);
  const store = openRunsStore(location, logger);
  const ingest = new StoreIngest(location, store, logger);
  const others: unknown[] = [];
  try {
    // Nothing to do is the common case (every commit asks): look before taking the lock.
    if ((await spool.pending()).length === 0 && !(await hasClaims(spool.dir))) return result;
    // One ingestion at a time: two processes loading, changing and storing the same file would lose one's edit.
    const drained = await store.withLock(AGENT_INGEST_LOCK, () =>
      spool.drain(
        async entry => {
          if (!isAgentSpoolRecord(entry.record)) {
            others.push(entry.record);
            return;
          }
          let record: AgentSpoolRecord;
          try {
            record = parseAgentSpoolRecord(entry.record);
          } catch (error) {
            if (!(error instanceof AgentRecordError)) throw error;
            // What it recorded is lost: the files it names (or every changed file) ask for review until committed.
            const paths = await keepLostRecord(location, entry.record, error.message, logger);
            result.lost++;
            problem(
              `dropped agent hook record ${entry.name}: ${printable(error.message)}; a commit of ${paths.length === 0 ? 'the files it changed' : paths.map(printable).join(', ')} with unknown lines asks for review`,
            );
            return;
          }
          // Copilot CLI writes its session log, which names the model, only later (in prompt mode at the session's
          // end), and the Cline CLI may write its session's record after a tool's hook: by the time the records are
          // read, they do.
          if (
            (record.call.agent === 'copilot-cli' || record.call.agent === 'cline') &&
            record.call.model === undefined &&
            record.call.transcriptPath !== undefined
          ) {
            const model = modelOfCall(record.call, AGENT_HOOK_LIMITS.transcriptTailBytes);
            if (model !== undefined) record.call.model = model;
          }
          const texts = recordFileTexts(record);
          // What the call removed, wherever its text goes next (an open document or the store).
          const removed = callDeletions(record.call, texts);
          if (removed.length > 0) await recordDeletions(location, logger, removed, record.at);
          let call = record.call;
          let files = texts;
          const editor = options.engine;
          if (editor) {
            const toEngine = options.enginePath ?? ((p: string) => p);
            const open = (p: string): boolean => editor.isOpen(toEngine(p));
            const mine = restrict(call, files, open);
            if (mine.call.edits.length > 0 || mine.files.size > 0) {
              try {
                const engineFiles = new Map([...mine.files].map(([p, t]) => [toEngine(p), t]));
                const engineCall = mapCallPaths(mine.call, toEngine);
                const report = editor.applyAgentCall(engineCall, { files: engineFiles, at: record.at });
                result.skipped.push(...report.skipped);
                options.onEngineCall?.(engineCall, engineFiles, record.at);
              } catch (error) {
                if (!(error instanceof EngineError)) throw error;
                problem(`agent hook record ${entry.name} on open files: ${error.message}`);
              }
            }
            ({ call, files } = restrict(call, files, p => !open(p)));
          }
          for (const p of new Set([...callPaths(call), ...files.keys()])) await ingest.load(p, files.get(p));
          try {
            result.skipped.push(...ingest.apply(call, files, record.at));
          } catch (error) {
            if (!(error instanceof EngineError)) throw error;
            problem(`agent hook record ${entry.name}: ${error.message}`);
            return;
          }
          result.records++;
        },
        {
          ...(options.max !== undefined ? { max: options.max } : {}),
          // Each changed file is stored once, after all the records (a record a file was four synced writes and a
          // git start): the spool keeps the records until then (spool.ts).
          settle: () => ingest.persistAll(),
        },
      ),
    );
    // A spool file that did not read at all (not JSON, a format this build does not know) was moved aside by the
    // spool: whatever it recorded is lost, so every file changed now asks for review, as for a record that did not read.
    if (drained.quarantined > 0) {
      const paths = await keepLostRecord(location, undefined, 'a spool file that did not read', logger);
      result.lost++;
      problem(
        `${drained.quarantined} agent hook spool file(s) did not read and were moved aside; a commit of ${paths.length} changed file(s) with unknown lines asks for review`,
      );
    }
    if (drained.failure) {
      result.incomplete = true;
      const e = drained.failure.error;
      problem(
        `stopped ingesting agent hook records at ${drained.failure.name}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  } catch (error) {
    result.incomplete = true;
    problem(`could not ingest agent hook records: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const record of others) {
    try {
      await spool.append(record);
    } catch (error) {
      problem(
        `could not put back a spool record of another kind: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  result.files = [...ingest.written].sort();
  for (const s of result.skipped) logger.debug(`agent edit of ${s.path} not applied: ${s.reason}`);
  return result;
}
