import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { GIT_TIMEOUT_MS, startGit } from './git';
import type { PipedProcess } from '../process/run';

/**
 * git's object database, read through one `git cat-file --batch` per repository that stays up while there are
 * questions: a status over a thousand files, or a commit of many, asks for hundreds of texts one at a time (each
 * through the shared record lookup, best-record.ts), and a git start for each cost more than all the rest of the
 * work (about 6 ms each).
 *
 * The protocol: one object name a line in (an id, `<rev>:<path>`, `:<path>` for the index); for each,
 * `<oid> <type> <size>\n<content>\n`, or `<name> missing\n` (or `ambiguous`). Answers come in the order asked, so
 * each request waits in a queue. A name with a line break is never sent: it would be two requests, and every later
 * answer would go to the wrong one (paths and record names are untrusted); it reads as missing. When nothing waits, the process no longer keeps Node alive, and it is closed after a
 * short idle time (the editor's extension host lives long).
 */

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

const IDLE_MS = 5_000;

interface Request {
  name: string;
  resolve(content: Buffer | undefined): void;
  reject(error: unknown): void;
}

class BatchReader {
  private proc: PipedProcess | undefined;
  private readonly waiting: Request[] = [];
  private readonly outgoing: string[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The size of the content being received (after its header), or undefined while a header is expected. */
  private bodySize: number | undefined;
  private stall: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly root: string,
    private readonly logger: Logger | undefined,
  ) {}

  read(name: string): Promise<Buffer | undefined> {
    if (name === '' || /[\n\r]/.test(name)) return Promise.resolve(undefined);
    const proc = (this.proc ??= this.start());
    return new Promise((resolve, reject) => {
      this.waiting.push({ name, resolve, reject });
      if (this.idle) clearTimeout(this.idle);
      this.idle = undefined;
      proc.hold(true);
      this.armStall();
      // The names asked for in one turn of the event loop go in one write (a write a name cost more than git).
      if (this.outgoing.length === 0) setImmediate(() => this.flush());
      this.outgoing.push(name);
    });
  }

  private flush(): void {
    const names = this.outgoing.splice(0);
    if (names.length > 0) this.proc?.write(`${names.join('\n')}\n`);
  }

  private start(): PipedProcess {
    const proc: PipedProcess = startGit(
      ['cat-file', '--batch'],
      { cwd: this.root, logger: this.logger },
      {
        onData: chunk => this.receive(chunk),
        // A git closed for being idle ends with nothing waiting; a newer one may be answering by then.
        onExit: error => {
          if (this.proc === proc) this.exited(error);
        },
      },
    );
    return proc;
  }

  /** Kills a git that stopped answering (a partial clone fetching from a remote that hangs): what waits fails. */
  private armStall(): void {
    if (this.stall) clearTimeout(this.stall);
    this.stall = setTimeout(() => this.proc?.kill(), GIT_TIMEOUT_MS);
    this.stall.unref();
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.armStall();
    for (;;) {
      if (this.bodySize === undefined) {
        const buffer = this.joined();
        const eol = buffer.indexOf(0x0a);
        if (eol < 0) return;
        const header = buffer.subarray(0, eol).toString('utf8');
        this.keep(buffer.subarray(eol + 1));
        const size = / (?:missing|ambiguous)$/.test(header) ? undefined : Number(header.split(' ')[2]);
        if (size === undefined || !Number.isSafeInteger(size) || size < 0) {
          if (size !== undefined) this.logger?.warn(`git cat-file answered an unexpected line: ${header}`);
          this.waiting.shift()?.resolve(undefined);
          this.settled();
          continue;
        }
        this.bodySize = size;
      }
      if (this.buffered < this.bodySize + 1) return;
      const buffer = this.joined();
      // A copy: the rest of the buffer must not stay in memory for as long as the caller keeps the content.
      const content = Buffer.from(buffer.subarray(0, this.bodySize));
      this.keep(buffer.subarray(this.bodySize + 1));
      this.bodySize = undefined;
      this.waiting.shift()?.resolve(content);
      this.settled();
    }
  }

  private joined(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }

  private keep(rest: Buffer): void {
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }

  /** After an answer: with nothing left to ask, let Node exit, and close git after a while. */
  private settled(): void {
    if (this.waiting.length > 0) return;
    if (this.stall) clearTimeout(this.stall);
    this.stall = undefined;
    this.proc?.hold(false);
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      const proc = this.proc;
      this.proc = undefined;
      proc?.end();
    }, IDLE_MS);
    this.idle.unref();
  }

  private exited(error: unknown): void {
    for (const t of [this.stall, this.idle]) if (t) clearTimeout(t);
    this.stall = this.idle = undefined;
    this.proc = undefined;
    this.chunks = [];
    this.buffered = 0;
    this.bodySize = undefined;
    this.outgoing.length = 0;
    for (const request of this.waiting.splice(0)) request.reject(error);
  }
}

const readers = new Map<string, BatchReader>();

/**
 * The content of the object `name` names in the repository at `root` (an id, `<rev>:<path>`, `:<path>`), or
 * undefined when there is none (or the name holds a line break). Rejects with a GitError when git fails or stops
 * answering.
 */
export function readObject(root: string, name: string, logger?: Logger): Promise<Buffer | undefined> {
  const key = path.resolve(root);
  let reader = readers.get(key);
  if (!reader) readers.set(key, (reader = new BatchReader(key, logger)));
  return reader.read(name);
}

/** The content of `repoPath` in the commit `commit` (a full id), or undefined when there is no such file. */
export function readFileAt(
  root: string,
  commit: string,
  repoPath: string,
  logger?: Logger,
): Promise<Buffer | undefined> {
  if (!OBJECT_ID.test(commit)) return Promise.resolve(undefined);
  return readObject(root, `${commit}:${repoPath}`, logger);
}
