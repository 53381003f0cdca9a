import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import {
  STATE_FORMAT_VERSION,
  anyPayload,
  parseSpoolEnvelope,
  parseVersioned,
  type PayloadParser,
  type SpoolEnvelope,
} from '../../core/formats/state-files';
import type { RepositoryLocation } from '../git/repository';
import { STATE_LAYOUT, readStateFile, type StateContext } from './state-file';
import {
  StateStoreError,
  ensureDir,
  ensureDirSync,
  isMissing,
  randomHex,
  removeStaleTemps,
  writeFileAtomic,
  writeFileAtomicSync,
} from './atomic-file';
import { isProcessAlive } from './lock';

/**
 * The spool: a folder that any number of processes append records to at the same time without ever losing one
 * (agent hooks, git hooks, several VS Code windows), and that consumers drain in order.
 *
 * Why files and not one log file: appending to a shared file needs locking to be safe across platforms and a
 * killed writer leaves a torn line; one file per record, written under a temporary name and renamed into place,
 * needs no coordination at all and is never seen half-written.
 *
 * Record file names are `<ms since epoch, 15 digits>-<pid, 10 digits>-<per-process sequence, 9 digits>-<random>.json`,
 * so sorting names sorts by time, and records from one process keep the order they were appended in.
 *
 * Draining claims each record by renaming it into `spool/.claimed/` (a rename succeeds for exactly one process), so
 * concurrent drains never deliver a record twice. A record is deleted only after the handler returned; if the
 * handler throws, the record goes back and the drain stops. A claim left by a drain that died (process gone, or
 * older than `staleClaimMs`) is returned to the spool by the next drain: delivery is exactly-once while processes
 * live, at-least-once across a crash between handler and delete (handlers should tolerate a repeat).
 */

/** What a drain hands to its handler. */
export interface SpoolEntry<T> {
  /** The record's file name: unique, and its sort order is the delivery order. */
  name: string;
  /** When it was appended (ISO-8601). */
  at: string;
  /** Which process appended it. */
  pid: number;
  record: T;
}

export interface SpoolOptions<T> {
  /** Validates a record on drain; throw when it is not one. Records that fail are moved to `corrupt/`. */
  parse?: PayloadParser<T>;
  /** fsync every record file and the folder (default true). */
  durable?: boolean;
  /** Temporary files older than this are removed by drains and cleanup (default 5 minutes). */
  staleTempMs?: number;
  /** A claim older than this is returned to the spool even if its process looks alive, e.g. a reused pid (default 10 minutes). */
  staleClaimMs?: number;
}

export interface DrainOptions {
  /** Deliver at most this many records in this call. */
  max?: number;
  /**
   * Called once the handler has seen every record of this drain (also when it threw on one): the records it saw are
   * deleted only after `settle` resolved. A handler can then keep its effects in memory and write them once for all
   * records (a thousand records on one file: one write, not a thousand), and a crash in between loses nothing: the
   * records are still there, claimed, and the next drain hands them out again. When `settle` throws, they go back
   * to the spool, and the drain reports the failure at the first of them.
   */
  settle?: () => Promise<void>;
}

export interface DrainResult {
  /** Records handed to the handler and then deleted. */
  delivered: number;
  /** Records that did not parse, moved to `corrupt/`. */
  quarantined: number;
  /** Set when the handler threw: the record it threw on is back in the spool and the drain stopped there. */
  failure?: { name: string; error: unknown };
}

const RECORD_NAME = /^\d{15}-\d{10}-\d{9}-[0-9a-f]{8}\.json$/;
const CLAIM_NAME = /^(\d{15}-\d{10}-\d{9}-[0-9a-f]{8}\.json)~(\d+)~(\d+)~[0-9a-f]+$/;

/**
 * Per-process naming state. It is process-wide on purpose: two Spool objects in one process must still produce
 * strictly increasing names, or records appended through different objects could be drained out of order.
 */
const naming = { lastMs: 0, sequence: 0 };
/** Claims this process is working on right now, so recovery does not take them back from a live drain of ours. */
const claimsInFlight = new Set<string>();

function nextRecordName(): string {
  const now = Date.now();
  if (now > naming.lastMs) {
    naming.lastMs = now;
    naming.sequence = 0;
  } else {
    naming.sequence++; // same millisecond, or the clock stepped back: keep our own order anyway
  }
  const ms = String(naming.lastMs).padStart(15, '0');
  return `${ms}-${String(process.pid).padStart(10, '0')}-${String(naming.sequence).padStart(9, '0')}-${randomHex(4)}.json`;
}

/** True for the name of a complete record file (temporary files and the claim folder never match). */
export function isRecordName(name: string): boolean {
  return RECORD_NAME.test(name);
}

export class Spool<T = unknown> {
  /** `<stateDir>/spool` */
  readonly dir: string;
  private readonly claimDir: string;
  private readonly context: StateContext;
  private readonly parse: PayloadParser<T>;
  private readonly durable: boolean;
  private readonly staleTempMs: number;
  private readonly staleClaimMs: number;

  constructor(location: Pick<RepositoryLocation, 'stateDir'>, logger: Logger, options: SpoolOptions<T> = {}) {
    this.dir = path.join(location.stateDir, STATE_LAYOUT.spool);
    this.claimDir = path.join(this.dir, STATE_LAYOUT.claimed);
    this.context = { stateDir: location.stateDir, logger };
    this.parse = options.parse ?? (anyPayload as PayloadParser<T>);
    this.durable = options.durable ?? true;
    this.staleTempMs = options.staleTempMs ?? 5 * 60_000;
    this.staleClaimMs = options.staleClaimMs ?? 10 * 60_000;
  }

  /** Appends a record; resolves with its name once it is visible to drains (and on disk, when durable). */
  async append(record: T): Promise<string> {
    const name = nextRecordName();
    await ensureDir(this.dir);
    await writeFileAtomic(path.join(this.dir, name), this.serialize(record), { durable: this.durable });
    return name;
  }

  /**
   * The synchronous twin of append, for hook processes that append one record and exit: no event-loop turns
   * means nothing can be cut short by a hurried `process.exit`, and no promise machinery on a path that runs
   * inside every agent tool call.
   */
  appendSync(record: T): string {
    const name = nextRecordName();
    ensureDirSync(this.dir);
    writeFileAtomicSync(path.join(this.dir, name), this.serialize(record), { durable: this.durable });
    return name;
  }

  /** Names of the records waiting, in delivery order. */
  async pending(): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (error) {
      if (isMissing(error)) return [];
      throw new StateStoreError('list', this.dir, error);
    }
    return names.filter(isRecordName).sort();
  }

  /**
   * Hands waiting records to `handler`, oldest first, deleting each after its handler resolved. Records appended
   * while the drain runs are left for the next drain. Safe to run in several processes at once.
   */
  async drain(
    handler: (entry: SpoolEntry<T>) => void | Promise<void>,
    options: DrainOptions = {},
  ): Promise<DrainResult> {
    const result: DrainResult = { delivered: 0, quarantined: 0 };
    await this.recoverClaims();
    await removeStaleTemps(this.dir, this.staleTempMs);
    const names = await this.pending();
    if (names.length === 0) return result;
    await ensureDir(this.claimDir);
    const max = options.max ?? Number.POSITIVE_INFINITY;
    /** With `settle`: the claims delivered and not yet deleted, in delivery order. */
    const held: { claimed: string; name: string }[] = [];
    try {
      await this.deliver(names, handler, max, result, options.settle ? held : undefined);
      if (!options.settle || held.length === 0) return result;
      try {
        await options.settle();
      } catch (error) {
        for (const h of held) await this.unclaim(h.claimed, h.name);
        result.failure ??= { name: held[0]!.name, error };
        result.delivered -= held.length;
        return result;
      }
      for (const h of held) await this.remove(h.claimed);
      return result;
    } finally {
      for (const h of held) claimsInFlight.delete(h.claimed);
    }
  }

  /** The drain's loop: claims, reads and hands out each record; deletes it after, or holds it in `held`. */
  private async deliver(
    names: readonly string[],
    handler: (entry: SpoolEntry<T>) => void | Promise<void>,
    max: number,
    result: DrainResult,
    held: { claimed: string; name: string }[] | undefined,
  ): Promise<void> {
    for (const name of names) {
      if (result.delivered + result.quarantined >= max) break;
      // The claim's name carries who claimed it and when (a rename keeps the file's old mtime, so the time must
      // be in the name). It is marked in flight before the rename: another drain of this process must never see
      // the claim without the mark and take it back.
      const claimed = path.join(this.claimDir, `${name}~${process.pid}~${Date.now()}~${randomHex(4)}`);
      claimsInFlight.add(claimed);
      try {
        await fsp.rename(path.join(this.dir, name), claimed);
      } catch (error) {
        claimsInFlight.delete(claimed);
        if (isMissing(error)) continue; // another drain claimed it first
        throw new StateStoreError('claim', path.join(this.dir, name), error);
      }
      try {
        const entry = await this.readClaimed(claimed, name);
        if (!entry) {
          result.quarantined++;
          continue;
        }
        try {
          await handler(entry);
        } catch (error) {
          await this.unclaim(claimed, name);
          result.failure = { name, error };
          return;
        }
        result.delivered++;
        if (held) held.push({ claimed, name });
        else await this.remove(claimed);
      } finally {
        // A held claim stays in flight until drain deletes it or puts it back.
        if (held?.[held.length - 1]?.claimed !== claimed) claimsInFlight.delete(claimed);
      }
    }
  }

  private async remove(claimed: string): Promise<void> {
    await fsp.rm(claimed, { force: true }).catch((error: unknown) => {
      // Delivered but not deleted: recovery will hand it out again, which handlers tolerate. Say so.
      this.context.logger.error(`could not delete delivered spool record ${claimed}: ${String(error)}`);
    });
  }

  /** Removes temporary files left by killed writers (older than `olderThanMs`). Returns how many went. */
  async cleanup(olderThanMs: number = this.staleTempMs): Promise<number> {
    return removeStaleTemps(this.dir, olderThanMs);
  }

  private serialize(record: T): string {
    const envelope: SpoolEnvelope<T> = {
      version: STATE_FORMAT_VERSION,
      at: new Date().toISOString(),
      pid: process.pid,
      record,
    };
    return JSON.stringify(envelope) + '\n';
  }

  /** Reads a claimed record; a bad one is moved to `corrupt/spool~<name>.<timestamp>` and yields undefined. */
  private async readClaimed(claimed: string, name: string): Promise<SpoolEntry<T> | undefined> {
    const envelope = await readStateFile(
      this.context,
      claimed,
      text => parseSpoolEnvelope(parseVersioned(text), this.parse),
      `${STATE_LAYOUT.spool}/${name}`,
    );
    return envelope && { name, at: envelope.at, pid: envelope.pid, record: envelope.record };
  }

  /** Puts a claimed record back under its own name, so it keeps its place in the order. */
  private async unclaim(claimed: string, name: string): Promise<void> {
    try {
      await fsp.rename(claimed, path.join(this.dir, name));
    } catch (error) {
      // Left in the claim folder; the next drain's recovery returns it.
      this.context.logger.error(`could not return spool record ${name} after a failed delivery: ${String(error)}`);
    }
  }

  /** Returns claims whose drain died (process gone, or the claim is older than staleClaimMs) to the spool. */
  private async recoverClaims(): Promise<void> {
    let names: string[];
    try {
      names = await fsp.readdir(this.claimDir);
    } catch (error) {
      if (isMissing(error)) return;
      throw new StateStoreError('list', this.claimDir, error);
    }
    const now = Date.now();
    for (const claimName of names) {
      const match = CLAIM_NAME.exec(claimName);
      if (!match) continue;
      const [, name, pidText, claimedAt] = match as unknown as [string, string, string, string];
      const claimed = path.join(this.claimDir, claimName);
      const pid = Number(pidText);
      const abandoned =
        pid === process.pid
          ? !claimsInFlight.has(claimed)
          : !isProcessAlive(pid) || now - Number(claimedAt) > this.staleClaimMs;
      if (!abandoned) continue;
      try {
        await fsp.rename(claimed, path.join(this.dir, name));
        this.context.logger.info(
          `returned spool record ${name}, claimed by a drain (process ${pid}) that did not finish, to the spool.`,
        );
      } catch (error) {
        if (!isMissing(error)) throw new StateStoreError('recover', claimed, error);
      }
    }
  }
}
