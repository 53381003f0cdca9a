import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The real agent CLIs the agents layer drives, pinned (moving one is a one-line change here), installed from the
 * npm registry into the test cache once per machine: `$AI_PROVENANCE_CACHE`, else `$XDG_CACHE_HOME/ai-provenance`,
 * else `~/.cache/ai-provenance`, beside code-server.
 */
export const AGENT_CLIS = {
  'claude-code': { pkg: '@anthropic-ai/claude-code', version: '2.1.331', bin: 'claude' },
  codex: { pkg: '@openai/codex', version: '0.169.0', bin: 'codex' },
  'gemini-cli': { pkg: '@google/gemini-cli', version: '0.61.0', bin: 'gemini' },
  'copilot-cli': { pkg: '@github/copilot', version: '1.0.102', bin: 'copilot' },
  opencode: { pkg: 'opencode-ai', version: '1.18.33', bin: 'opencode' },
  'qwen-code': { pkg: '@qwen-code/qwen-code', version: '0.24.4', bin: 'qwen' },
  'cline-cli': { pkg: 'cline', version: '3.0.65', bin: 'cline' },
} as const;
export type AgentCli = keyof typeof AGENT_CLIS;

/**
 * Other tools the tests drive, from the npm registry into the same cache. `ignoreScripts`: its install script would
 * act on the folder npm was started from (lefthook's runs `lefthook install` there: in a development clone, it
 * would take over this repository's git hooks), so it is not a development dependency and installs without it.
 */
export const TEST_TOOLS = {
  lefthook: { pkg: 'lefthook', version: '2.2.4', bin: 'lefthook', ignoreScripts: true },
} as const;
export type TestTool = keyof typeof TEST_TOOLS;

function cacheDir(): string {
  return (
    process.env.AI_PROVENANCE_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'ai-provenance')
  );
}

/** Where an agent's pinned version is installed; also a place for what it unpacks on first run. */
export function agentCliHome(name: AgentCli): string {
  return path.join(cacheDir(), 'agents', `${name}-${AGENT_CLIS[name].version}`);
}

/**
 * The agent's executable, installing it first when the cache does not have it. Throws, saying why, when it cannot
 * be installed: a test that needs it fails with the reason rather than being skipped.
 */
export function ensureAgentCli(name: AgentCli): string {
  return ensureInstalled(AGENT_CLIS[name], agentCliHome(name));
}

/** A test tool's executable (TEST_TOOLS), installed into the cache on first use like the agents. */
export function ensureTestTool(name: TestTool): string {
  const tool = TEST_TOOLS[name];
  return ensureInstalled(tool, path.join(cacheDir(), 'tools', `${name}-${tool.version}`));
}

function ensureInstalled(
  { pkg, version, bin, ...options }: { pkg: string; version: string; bin: string; ignoreScripts?: boolean },
  home: string,
): string {
  const executable = path.join(home, 'node_modules', '.bin', bin);
  const marker = path.join(home, '.complete');
  if (fs.existsSync(marker) && fs.existsSync(executable)) return executable;
  fs.mkdirSync(home, { recursive: true });
  console.error(`[tests] installing ${pkg}@${version} into ${home} (once per machine)`);
  try {
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...(options.ignoreScripts ? ['--ignore-scripts'] : []),
        '--prefix',
        home,
        `${pkg}@${version}`,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 15 * 60_000,
      },
    );
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    throw new Error(
      `could not install ${pkg}@${version} from the npm registry: ${e.stderr?.toString().trim() || e.message}`,
      {
        cause: error,
      },
    );
  }
  if (!fs.existsSync(executable)) throw new Error(`${pkg}@${version} installed, but ${executable} is missing`);
  fs.writeFileSync(marker, `${pkg}@${version}\n`);
  return executable;
}
