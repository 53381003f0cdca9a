import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCT } from '../../core/product';
import { TraceError, replayTrace } from '../../core/formats/replay-trace';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit';

const help = `Usage: ${PRODUCT.cli} replay TRACE.jsonl

Feeds a provenance trace (one JSON event per line: open, edit, accept, copy, paste, chat, disk, agent,
agent-call, mark, save, close, rename) to the attribution engine and prints, as JSON, every tracked file's line classes
(a ai, m mixed, h human, u unknown), their counts and the segments of consecutive AI lines.

TRACE is a file, or - for standard input.

Exit codes: 0 printed; 2 the trace cannot be read or a line is malformed (the message names the line).
`;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function readTrace(file: string, cwd: string): string {
  const full = path.resolve(cwd, file);
  try {
    return fs.readFileSync(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UsageError(`${file}: no such file; give the path of a trace (.jsonl), or - to read standard input`);
    if (code === 'EISDIR') throw new UsageError(`${file} is a folder; give the path of a trace file (.jsonl)`);
    throw new UsageError(`${file}: cannot read the trace (${(error as Error).message})`);
  }
}

export const replayCommand: Command = {
  name: 'replay',
  summary: "replay a provenance trace and print each file's AI lines as JSON",
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    if (args.length !== 1) {
      throw new UsageError(
        `replay takes exactly one TRACE (a file, or - for standard input); got ${args.length === 0 ? 'none' : args.join(' ')}`,
      );
    }
    const file = args[0]!;
    if (file.startsWith('-') && file !== '-')
      throw new UsageError(`unknown option ${file}; usage: ${PRODUCT.cli} replay TRACE.jsonl`);
    const name = file === '-' ? 'stdin' : file;
    const trace = file === '-' ? await readAll(context.stdin) : readTrace(file, context.cwd);
    let output;
    try {
      output = replayTrace(trace);
    } catch (error) {
      if (error instanceof TraceError) throw new UsageError(`${name}:${error.line}: ${error.reason}`);
      throw error;
    }
    context.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return ExitCode.Ok;
  },
};
