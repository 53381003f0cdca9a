// The agent hook's own bundle (dist/agent-hook-bundle.js), which the launcher runs for `agent-hook AGENT` through
// its loader (dist/agent-hook.js, agent-hook-loader.ts), so each tool call of an agent starts only the code the hook
// needs, not the whole CLI. Same behaviour as `ai-provenance agent-hook` (which still works): the one command.
import * as fs from 'node:fs';
import { agentHookCommand } from './commands/agent-hook';
import { stderrLogger } from './logger';

/**
 * Standard input. A pipe (what every agent gives) must be read so that the hook's watchdog can still end the
 * process when a writer never closes its end: a read pending in libuv's thread pool would hold the exit until then.
 * On Linux the pipe is opened again, non-blocking, through /proc/self/fd/0 (a new open file description of the
 * same pipe), and read with plain reads that wait on a timer when nothing is there yet: no stream machinery to load
 * (node:net costs about 4 ms a start). Elsewhere, or when that fails, `process.stdin`, whose reads live in the
 * event loop. Anything else (a file, /dev/null, nothing) is read with plain reads, which cannot block.
 */
function stdinReads(): NodeJS.ReadableStream {
  let st: fs.Stats | undefined;
  try {
    st = fs.fstatSync(0);
  } catch {
    // no standard input at all: read as empty below
  }
  if (st?.isSocket()) return process.stdin;
  let fd = 0;
  if (st === undefined) return readsOf(fd, false);
  if (st.isFIFO()) {
    if (process.platform !== 'linux') return process.stdin;
    try {
      fd = fs.openSync('/proc/self/fd/0', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    } catch {
      return process.stdin;
    }
  }
  return readsOf(fd, st.isCharacterDevice());
}

/** Plain reads of `fd` until its end; a non-blocking one that has nothing yet is tried again a moment later. */
function readsOf(fd: number, isTTY: boolean): NodeJS.ReadableStream {
  const chunks = async function* (): AsyncGenerator<Buffer> {
    const buffer = Buffer.allocUnsafe(64 * 1024);
    try {
      for (;;) {
        let n: number;
        try {
          n = fs.readSync(fd, buffer, 0, buffer.length, null);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
          await new Promise(resolve => setTimeout(resolve, 2));
          continue;
        }
        if (n === 0) return;
        yield Buffer.from(buffer.subarray(0, n));
      }
    } finally {
      if (fd !== 0) fs.closeSync(fd);
    }
  };
  // Only what readBounded uses: isTTY (a terminal or /dev/null reads as nothing) and async iteration.
  return { isTTY, [Symbol.asyncIterator]: chunks } as unknown as NodeJS.ReadableStream;
}

/** Standard output, built only if something is written (the hook writes nothing there). */
const lazyStdout = {
  write: (chunk: string | Uint8Array): boolean => process.stdout.write(chunk),
} as unknown as NodeJS.WritableStream;

const [command, ...args] = process.argv.slice(2);
if (command !== 'agent-hook') {
  process.stderr.write(`ai-provenance: this entry point runs "agent-hook AGENT" only\n`);
  process.exitCode = 0;
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${agentHookCommand.help.trimEnd()}\n`);
} else {
  void agentHookCommand
    .run(args, { cwd: process.cwd(), stdout: lazyStdout, stdin: stdinReads(), logger: stderrLogger() })
    .then(code => {
      process.exitCode = code;
    });
}
