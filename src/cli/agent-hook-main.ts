// The agent hook's own entry point (dist/agent-hook.js): the launcher runs it for `agent-hook AGENT`, so each tool
// call of an agent starts only the code the hook needs, not the whole CLI. Same behaviour as `ai-provenance
// agent-hook` (which still works): the one command, nothing else.
import * as fs from 'node:fs';
import { agentHookCommand } from './commands/agent-hook';
import { stderrLogger } from './logger';

/**
 * Standard input as plain reads of descriptor 0. `process.stdin` (and `process.stdout`) build Node streams on first
 * touch, which costs the hook, run twice per agent tool call, about 3 ms: the hook touches neither unless it must.
 * A descriptor that is non-blocking (EAGAIN) is read through `process.stdin` from where the plain reads stopped.
 */
function stdinReads(): NodeJS.ReadableStream {
  let tty = false;
  try {
    tty = fs.fstatSync(0).isCharacterDevice();
  } catch {
    // no standard input at all: read as empty below
  }
  const chunks = async function* (): AsyncGenerator<Buffer> {
    const buffer = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(0, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          for await (const chunk of process.stdin) yield chunk as Buffer;
          return;
        }
        if (code === 'EOF' || code === 'EBADF') return;
        throw error;
      }
      if (n === 0) return;
      yield Buffer.from(buffer.subarray(0, n));
    }
  };
  // Only what readBounded uses: isTTY and async iteration.
  return { isTTY: tty, [Symbol.asyncIterator]: chunks } as unknown as NodeJS.ReadableStream;
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
