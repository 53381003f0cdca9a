import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { PRODUCT } from '../../core/product';
import { startJsonRpc, type JsonRpcSession } from '../process/json-rpc';

/**
 * Codex runs no hook until the person trusts it: each hook's definition has a hash, and Codex keeps the trusted
 * hashes in the user's config.toml (`[hooks.state."<key>"] trusted_hash`), which its `/hooks` screen writes. Until
 * then `codex exec` runs without them, silently. Installing our hooks therefore asks Codex itself, through its
 * app server (`codex app-server`, JSON-RPC over stdio): `hooks/list` says what Codex discovered for a folder and
 * each hook's current hash and trust; `config/batchWrite` writes `hooks.state` as the `/hooks` screen does. Only
 * hooks whose command is exactly ours are trusted, never anyone else's. A project's `.codex` folder is ignored by
 * Codex until the person trusts the project: that stays the person's decision, and we say the exact step.
 */

export type CodexTrustState = 'trusted' | 'untrusted' | 'not-listed' | 'no-codex' | 'failed';

export interface CodexTrust {
  state: CodexTrustState;
  /** The hooks of ours Codex lists for the folder, with their trust after this call. */
  hooks: { key: string; trusted: boolean }[];
  /** What the person must do when the state is not `trusted`. */
  message?: string;
}

interface ListedHook {
  key?: unknown;
  sourcePath?: unknown;
  command?: unknown;
  currentHash?: unknown;
  trustStatus?: unknown;
  enabled?: unknown;
}

/** The executable named `name` on `PATH`, or undefined. */
export function findOnPath(name: string, pathVariable = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVariable.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function listOurs(session: JsonRpcSession, cwd: string, command: string, file: string): Promise<ListedHook[]> {
  const result = (await session.request('hooks/list', { cwds: [cwd] })) as { data?: { hooks?: unknown }[] } | undefined;
  const hooks = (result?.data ?? []).flatMap(d => (Array.isArray(d.hooks) ? (d.hooks as ListedHook[]) : []));
  const same = (p: unknown): boolean => typeof p === 'string' && path.resolve(p) === path.resolve(file);
  return hooks.filter(h => h.command === command && typeof h.key === 'string' && same(h.sourcePath));
}

/**
 * What Codex says of our hooks for `cwd`, trusting the untrusted ones first when `trust` is set. Never throws: a
 * Codex that is missing, or whose app server fails, is a state with a message.
 */
export async function codexHookTrust(options: {
  cwd: string;
  /** Our hook's command line exactly as installed. */
  command: string;
  /** The hooks file we installed it in (the user's ~/.codex/hooks.json, or the project's). */
  file: string;
  trust: boolean;
  scope: 'user' | 'project';
  codex?: string;
  env?: NodeJS.ProcessEnv;
  /** Our version, for Codex's client information. */
  clientVersion: string;
  logger: Logger;
}): Promise<CodexTrust> {
  const env = options.env ?? process.env;
  const codex = options.codex ?? findOnPath('codex', env.PATH);
  const again = `${PRODUCT.cli} agents install codex${options.scope === 'project' ? ' --project' : ''}`;
  if (!codex) {
    return {
      state: 'no-codex',
      hooks: [],
      message: `Codex is not on PATH here, so our hooks are not trusted yet and Codex will not run them: run "${again}" again once Codex is installed, or trust them in Codex with /hooks`,
    };
  }
  let session: JsonRpcSession | undefined;
  try {
    session = startJsonRpc(codex, ['app-server'], { env, cwd: options.cwd, logger: options.logger });
    await session.request('initialize', {
      clientInfo: { name: PRODUCT.cli, version: options.clientVersion },
      capabilities: { experimentalApi: true },
    });
    session.notify('initialized');
    let ours = await listOurs(session, options.cwd, options.command, options.file);
    if (ours.length === 0) {
      return {
        state: 'not-listed',
        hooks: [],
        message:
          options.scope === 'project'
            ? `Codex does not load ${path.join(options.cwd, '.codex')} yet: it ignores a project's settings until you trust the project. Run codex in ${options.cwd} once and answer yes to "Trust this folder?", then run "${again}" again (or install for your user: ${PRODUCT.cli} agents install codex)`
            : 'Codex does not list our hooks: check that hooks are not turned off in your Codex configuration',
      };
    }
    const untrusted = ours.filter(h => h.trustStatus !== 'trusted' && typeof h.currentHash === 'string');
    if (options.trust && untrusted.length > 0) {
      const value = Object.fromEntries(untrusted.map(h => [h.key as string, { trusted_hash: h.currentHash }]));
      await session.request('config/batchWrite', {
        edits: [{ keyPath: 'hooks.state', value, mergeStrategy: 'upsert' }],
        filePath: null,
        expectedVersion: null,
        reloadUserConfig: true,
      });
      ours = await listOurs(session, options.cwd, options.command, options.file);
    }
    const hooks = ours.map(h => ({ key: h.key as string, trusted: h.trustStatus === 'trusted' }));
    const all = hooks.every(h => h.trusted);
    return all
      ? { state: 'trusted', hooks }
      : {
          state: 'untrusted',
          hooks,
          message: `Codex will not run our hooks until they are trusted: run "${again}" (it trusts them through Codex), or trust them in Codex with /hooks`,
        };
  } catch (error) {
    return {
      state: 'failed',
      hooks: [],
      message: `could not ask Codex about its hooks (${(error as Error).message}); trust our hooks in Codex with /hooks`,
    };
  } finally {
    session?.close();
  }
}
