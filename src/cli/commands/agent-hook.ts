import { isRelevantCall } from '../../core/agents/call';
import { AgentPayloadError, interpretAgentPayload } from '../../core/agents/payload';
import { AGENTS, type AgentName } from '../../core/attribution/events';
import type { Logger } from '../../core/log';
import { PRODUCT } from '../../core/product';
import { AGENT_HOOK_LIMITS, captureAgentCall, settleSnapshots } from '../../io/agents/capture';
import { locateRepository, type RepositoryLocation } from '../../io/git/repository';
import { Spool } from '../../io/store/spool';
import type { Command, CommandContext } from '../command';
import { ExitCode } from '../exit';
import { appendHooksLog } from '../../io/store/files';

const help = `Usage: ${PRODUCT.cli} agent-hook AGENT

What coding agents' hooks run ('${PRODUCT.cli} agents install' sets them up). Reads the agent's hook payload
(JSON) from standard input and records what the tool call does to files of the repository, for the commit
hook and the editor to attribute: before a tool runs, the files it will change; after, their new text and the
exact edit the payload describes. AGENT: ${AGENTS.join(', ')}.

Prints nothing on standard output (agents read it). Never fails the agent: whatever goes wrong (a malformed
payload, a path outside the repository, a payload over ${AGENT_HOOK_LIMITS.payloadBytes / 1024 / 1024} MB, no repository) is one line on
standard error and in the state folder's hooks.log. Exit code: always 0.
`;

/** Longest log line, so a pathological payload cannot flood the agent's log. */
const MAX_LINE = 2000;
/** A hook that is still running after this long gives up (stdin never closed, a hung file system). */
const WATCHDOG_MS = 20_000;

interface Input {
  data?: Buffer;
  bytes: number;
}

/** Reads stdin up to `limit` bytes; past it, keeps reading (so the agent's write does not fail) but keeps nothing. */
async function readBounded(stream: NodeJS.ReadableStream, limit: number): Promise<Input> {
  if ((stream as { isTTY?: boolean }).isTTY) return { data: Buffer.alloc(0), bytes: 0 };
  const chunks: Buffer[] = [];
  let bytes = 0;
  let over = false;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += b.length;
    if (over) continue;
    if (bytes > limit) {
      over = true;
      chunks.length = 0;
    } else {
      chunks.push(b);
    }
  }
  return over ? { bytes } : { data: Buffer.concat(chunks), bytes };
}

/** A logger that keeps warnings and errors for the one log line, and drops the rest. */
function collectingLogger(problems: string[]): Logger {
  const keep = (m: string | Error): void => {
    problems.push(m instanceof Error ? m.message : m);
  };
  const drop = (): void => undefined;
  return { trace: drop, debug: drop, info: drop, warn: keep, error: keep };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' / ');
  return flat.length > MAX_LINE ? `${flat.slice(0, MAX_LINE)}...` : flat;
}

async function record(
  agent: AgentName,
  context: CommandContext,
  problems: string[],
  found: { location?: RepositoryLocation | undefined },
): Promise<void> {
  const logger = collectingLogger(problems);
  const input = await readBounded(context.stdin, AGENT_HOOK_LIMITS.payloadBytes);
  if (!input.data) {
    problems.push(
      `payload of ${input.bytes} bytes is over the ${AGENT_HOOK_LIMITS.payloadBytes / 1024 / 1024} MB limit; skipped`,
    );
    found.location = await locateRepository(context.cwd).catch(() => undefined);
    return;
  }
  const text = input.data.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    problems.push('no payload on standard input');
    return;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    problems.push(`the payload is not JSON (${(error as Error).message})`);
    return;
  }
  let call;
  try {
    call = interpretAgentPayload(agent, payload, { requireEvent: true });
  } catch (error) {
    if (!(error instanceof AgentPayloadError)) throw error;
    problems.push(`malformed ${agent} payload: ${error.message}`);
    return;
  }
  // Other events and tools that write no files: nothing to record, nothing to say.
  if (!call || !isRelevantCall(call)) return;
  const captured = await captureAgentCall(call, { cwd: context.cwd, logger });
  problems.push(...captured.problems);
  found.location = captured.location;
  if (!captured.location) return;
  const spool = new Spool(captured.location, logger);
  for (const r of [...(captured.record ? [captured.record] : []), ...(captured.more ?? [])]) spool.appendSync(r);
  // Only now: until the records are in the spool, the snapshots they replace still speak for the calls.
  settleSnapshots(captured);
}

export const agentHookCommand: Command = {
  name: 'agent-hook',
  summary: "what coding agents' hooks run: records the files an agent's tool call writes (payload on stdin)",
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const name = args[0] ?? '';
    const problems: string[] = [];
    const found: { location?: RepositoryLocation | undefined } = {};
    const report = (): void => {
      if (problems.length === 0) return;
      const line = oneLine(`agent-hook ${name}: ${[...new Set(problems)].join('; ')}`);
      process.stderr.write(`${PRODUCT.cli}: ${line}\n`);
      appendHooksLog(found.location, line);
      problems.length = 0;
    };
    const bail = (why: string): void => {
      problems.push(why);
      report();
      process.exit(0);
    };
    const watchdog = setTimeout(
      () => bail(`gave up after ${WATCHDOG_MS / 1000} s (standard input not closed?)`),
      WATCHDOG_MS,
    );
    watchdog.unref();
    // This process runs the hook and nothing else: whatever escapes must still end in exit 0 and one line.
    process.on('uncaughtException', error => bail(`internal error: ${error.message}`));
    process.on('unhandledRejection', reason =>
      bail(`internal error: ${reason instanceof Error ? reason.message : String(reason)}`),
    );
    try {
      if (!(AGENTS as readonly string[]).includes(name) || args.length !== 1) {
        problems.push(
          `agent-hook takes one AGENT (${AGENTS.join(', ')}), got ${args.length === 0 ? 'none' : args.map(a => JSON.stringify(a)).join(' ')}`,
        );
        // Drain stdin so the agent's write does not fail.
        await readBounded(context.stdin, 0);
      } else {
        await record(name as AgentName, context, problems, found);
      }
    } catch (error) {
      // Our own bug or an environment failure: the agent goes on; the details go to hooks.log.
      problems.push(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof Error && error.stack)
        appendHooksLog(found.location, `agent-hook ${name}: ${error.stack.replace(/\n/g, '\n  ')}`);
    } finally {
      clearTimeout(watchdog);
    }
    report();
    return ExitCode.Ok;
  },
};
