import { spawn } from 'node:child_process';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';

/**
 * A JSON-RPC 2.0 conversation with a child process over its standard input and output, one JSON object per line
 * (how `codex app-server` talks). Argument array, no shell; every request has a timeout, after which the child is
 * killed; the child is killed on close. Lines that are not JSON, and notifications, are ignored.
 */
export interface JsonRpcSession {
  request(method: string, params?: unknown): Promise<unknown>;
  notify(method: string, params?: unknown): void;
  close(): void;
}

/** Longest line accepted from the child: an answer of ours is far smaller; more is a child gone wrong. */
const MAX_LINE = 16 * 1024 * 1024;

export class JsonRpcError extends Error {
  override readonly name = 'JsonRpcError';
}

export function startJsonRpc(
  program: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; logger?: Logger } = {},
): JsonRpcSession {
  const logger = options.logger ?? nullLogger;
  const timeoutMs = options.timeoutMs ?? 20_000;
  logger.trace(`${program} ${args.join(' ')} (JSON-RPC)`);
  const child = spawn(program, [...args], {
    env: options.env ?? process.env,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
    // Its own process group: a wrapper's children (npm's codex is a Node script that starts the real binary) go
    // with it when it is stopped, and cannot keep our pipes, and this process, alive.
    detached: process.platform !== 'win32',
  });
  const kill = (): void => {
    try {
      if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
    child.stdin.destroy();
    child.stdout.destroy();
    child.stderr.destroy();
  };
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  child.on('error', error =>
    failAll(
      new JsonRpcError(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? `${program} was not found`
          : `${program} could not run: ${error.message}`,
      ),
    ),
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString('utf8');
  });
  child.on('close', code =>
    failAll(
      new JsonRpcError(`${program} ${args.join(' ')} exited (${code ?? 'killed'}): ${stderr.trim().slice(0, 300)}`),
    ),
  );
  child.stdin.on('error', () => undefined); // EPIPE when it exits early: the close handler reports it
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString('utf8');
    if (buffer.length > MAX_LINE) {
      failAll(new JsonRpcError(`${program} wrote a line of more than ${MAX_LINE} characters`));
      kill();
      return;
    }
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      let message: { id?: unknown; result?: unknown; error?: { message?: unknown } };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        continue;
      }
      if (typeof message.id !== 'number') continue;
      const p = pending.get(message.id);
      if (!p) continue;
      pending.delete(message.id);
      if (message.error) p.reject(new JsonRpcError(String(message.error.message ?? 'error')));
      else p.resolve(message.result);
    }
  });
  let next = 0;
  const send = (value: object): void => {
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...value })}\n`);
  };
  return {
    request(method, params) {
      if (failure) return Promise.reject(failure);
      const id = ++next;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new JsonRpcError(`${program} did not answer ${method} within ${timeoutMs} ms`));
          kill();
        }, timeoutMs);
        pending.set(id, {
          resolve: v => {
            clearTimeout(timer);
            resolve(v);
          },
          reject: e => {
            clearTimeout(timer);
            reject(e);
          },
        });
        send({ id, method, ...(params !== undefined ? { params } : {}) });
      });
    },
    notify(method, params) {
      if (!failure) send({ method, ...(params !== undefined ? { params } : {}) });
    },
    close() {
      kill();
    },
  };
}
