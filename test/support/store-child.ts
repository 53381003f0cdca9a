// A child process for test/git/store.test.ts: writes to or drains the local state the way separate processes do
// in real life (agent hooks, git hooks, editor windows). Compiled with the tests to out/test/support/store-child.js.
//
//   node store-child.js kill-loop STATE_DIR TAG          write spool records, a document, runs records and a locked
//                                                        counter in a tight loop until killed; print one line per
//                                                        completed write ("spool 3", "json 3", "runs 3", "counter 17")
//   node store-child.js writer STATE_DIR ID COUNT        append COUNT spool records, update runs of a shared and an
//                                                        own path, bump the locked counter; print a JSON summary
//   node store-child.js drainer STATE_DIR DONE_FILE      drain until DONE_FILE exists and a last drain finds nothing;
//                                                        print the delivered records as one JSON array
//
// STORE_CHILD_DURABLE=0 in the environment turns fsync off (see stores()).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { Logger } from '../../src/core/log';
import { Spool } from '../../src/io/store/spool';
import { StateStore } from '../../src/io/store/state-store';

export interface ChildRecord {
  tag: string;
  i: number;
}

export interface Counter {
  version: number;
  count: number;
}

export interface BigDoc {
  version: number;
  tag: string;
  i: number;
  pad: string;
  digest: string;
}

export const COUNTER_FILE = 'counter.json';
export const DOC_FILE = 'doc.json';
export const BIG_PATH = 'dir/big file.txt';

/** Deterministic filler so a reader can check a document is complete (digest over everything else). */
export function padding(tag: string, i: number, size: number): string {
  const unit = `${tag}:${i}:äöü€𝄞|`;
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

export function digest(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

export function bigText(tag: string, i: number): string {
  return `line ${tag} ${i}\r\n` + padding(tag, i, 100_000) + '\n';
}

export function parseCounter(value: Record<string, unknown>): Counter {
  if (typeof value.count !== 'number') throw new Error('count is not a number');
  return { version: 1, count: value.count };
}

export function parseChildRecord(value: unknown): ChildRecord {
  const v = value as Partial<ChildRecord> | null;
  if (typeof v?.tag !== 'string' || typeof v.i !== 'number') throw new Error('not a child record');
  return { tag: v.tag, i: v.i };
}

/** Logs to stderr, so the parent can show what a child said when an assertion fails. */
const stderrLogger: Logger = {
  trace() {
    /* quiet */
  },
  debug() {
    /* quiet */
  },
  info: message => process.stderr.write(`info: ${message}\n`),
  warn: message => process.stderr.write(`warn: ${message}\n`),
  error: message => process.stderr.write(`error: ${String(message)}\n`),
};

/** Synchronous stdout: a line the parent read is a write that finished, even if we are killed right after. */
function say(line: string): void {
  fs.writeSync(1, line + '\n');
}

function stores(stateDir: string): { store: StateStore; spool: Spool<ChildRecord> } {
  const location = { root: process.cwd(), stateDir };
  // fsync protects against power loss, not against killed or concurrent processes (the page cache outlives a
  // process); the concurrency tests turn it off with STORE_CHILD_DURABLE=0 to stay fast on small machines.
  const durable = process.env.STORE_CHILD_DURABLE !== '0';
  return {
    // objectFormat given: the children must not each spawn git, that would dominate the timing of the test
    store: new StateStore(location, stderrLogger, { objectFormat: 'sha1', lockTimeoutMs: 30_000, durable }),
    spool: new Spool<ChildRecord>(location, stderrLogger, { parse: parseChildRecord, durable }),
  };
}

async function killLoop(stateDir: string, tag: string): Promise<void> {
  const { store, spool } = stores(stateDir);
  // Payloads are built ahead, between the writes that matter least, so that the moment after each printed line is
  // spent writing: a kill right after a line then lands inside a write, not inside string building.
  const prepare = (i: number): { doc: BigDoc; text: string } => {
    const pad = padding(tag, i, 200_000);
    return { doc: { version: 1, tag, i, pad, digest: digest(tag, i, pad) }, text: bigText(tag, i) };
  };
  let next = prepare(0);
  for (let i = 0; ; i++) {
    const { doc, text } = next;
    spool.appendSync({ tag, i });
    say(`spool ${i}`);
    await store.writeJson(DOC_FILE, doc);
    say(`json ${i}`);
    await store.writeRuns(BIG_PATH, text, { tag, i, digest: digest(text) });
    say(`runs ${i}`);
    next = prepare(i + 1);
    const counter = await store.updateJson(COUNTER_FILE, 1, parseCounter, current => ({
      version: 1,
      count: (current?.count ?? 0) + 1,
    }));
    say(`counter ${counter.count}`);
  }
}

async function writer(stateDir: string, id: number, count: number): Promise<void> {
  const { store, spool } = stores(stateDir);
  let increments = 0;
  for (let k = 0; k < count; k++) {
    spool.appendSync({ tag: `w${id}`, i: k });
    if (k % 3 === 0) {
      await store.writeRuns('shared.txt', `shared ${id} ${k}\n`, { id, k });
      await store.writeRuns(`own/${id}.txt`, `own ${id} ${k}\n`, { id, k });
    }
    if (k % 5 === 0) {
      await store.updateJson(COUNTER_FILE, 1, parseCounter, current => ({
        version: 1,
        count: (current?.count ?? 0) + 1,
      }));
      increments++;
    }
  }
  say(JSON.stringify({ id, appended: count, increments }));
}

async function drainer(stateDir: string, doneFile: string): Promise<void> {
  const { spool } = stores(stateDir);
  const delivered: ChildRecord[] = [];
  const handler = async (entry: { record: ChildRecord }): Promise<void> => {
    await new Promise(resolve => setImmediate(resolve)); // give the other drains a chance to interleave
    delivered.push(entry.record);
  };
  for (;;) {
    const finishing = fs.existsSync(doneFile);
    const result = await spool.drain(handler);
    if (result.failure) throw result.failure.error;
    if (finishing && result.delivered === 0) break;
    if (result.delivered === 0) await new Promise(resolve => setTimeout(resolve, 5));
  }
  say(JSON.stringify(delivered));
}

async function main(argv: string[]): Promise<void> {
  const [mode, stateDir, a, b] = argv;
  if (mode === 'kill-loop' && stateDir && a) return killLoop(stateDir, a);
  if (mode === 'writer' && stateDir && a && b) return writer(stateDir, Number(a), Number(b));
  if (mode === 'drainer' && stateDir && a) return drainer(stateDir, a);
  throw new Error(`usage: store-child kill-loop|writer|drainer STATE_DIR ... (got ${argv.join(' ')})`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`store-child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
