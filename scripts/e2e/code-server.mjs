// Shared by the e2e harness and the demo: where code-server lives, how to install it, how to start it on
// 127.0.0.1 and how to stop it (with everything it spawned).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // VS Code 1.100.3: package.json engines.vscode is ^1.100.0
const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');

/** code-server is cached outside the clone, so fresh clones on the same machine reuse it. */
export function codeServerHome() {
  const cache =
    process.env.AI_PROVENANCE_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'ai-provenance');
  return process.env.CODE_SERVER_DIR ?? path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerEntry() {
  return path.join(codeServerHome(), 'package', 'out', 'node', 'entry.js');
}

/** Installs code-server into the cache unless a complete install is there. */
export function ensureCodeServer(log = console.error) {
  const home = codeServerHome();
  if (fs.existsSync(path.join(home, '.complete')) && fs.existsSync(codeServerEntry())) return;
  log(`[code-server] installing ${CODE_SERVER_VERSION} into ${home} (once per machine, about a minute)`);
  execFileSync('bash', [path.join(here, 'install-code-server.sh'), home], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CODE_SERVER_VERSION },
  });
}

/** Installs a .vsix into an extensions folder with code-server's own CLI. */
export function installVsix(vsix, extensionsDir, userDataDir) {
  execFileSync(
    process.execPath,
    [
      codeServerEntry(),
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { stdio: 'pipe', env: { ...process.env, EXTENSIONS_GALLERY: '{}' } },
  );
}

/** Settings that keep the workbench quiet and deterministic: no tips, no telemetry, no network. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.autofetch': false,
  'git.openRepositoryInParentFolders': 'never',
  'security.workspace.trust.enabled': false,
};

export function writeUserSettings(userDataDir, settings) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * Starts code-server detached (its own process group, so stop() ends the server, the extension host and every
 * helper it spawned) on 127.0.0.1. Resolves once it listens: { origin, process, stop() }.
 * `port` 0 picks a free one. The environment is inherited by the remote extension host.
 */
export async function startCodeServer({
  userDataDir,
  extensionsDir,
  workDir,
  env = {},
  port = 0,
  logFile,
  startTimeoutMs = 60000,
}) {
  const config = path.join(workDir, 'code-server.yaml');
  fs.writeFileSync(config, ''); // keeps code-server from writing ~/.config/code-server/config.yaml
  const args = [
    '--require',
    path.join(here, 'exit-with-parent.cjs'),
    codeServerEntry(),
    '--config',
    config,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--ignore-last-opened',
  ];
  const xdg = path.join(workDir, 'xdg');
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(xdg, 'config'),
      XDG_DATA_HOME: path.join(xdg, 'data'),
      EXTENSIONS_GALLERY: '{}', // no marketplace: none is reachable, and '{}' turns it off instead of erroring
      ...env,
    },
  });
  const logStream = logFile ? fs.createWriteStream(logFile) : undefined;
  if (logStream) {
    child.stdout.pipe(logStream, { end: false });
    child.stderr.pipe(logStream, { end: false });
  }
  const origin = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () =>
        reject(
          new Error(`code-server did not start within ${startTimeoutMs / 1000}s${logFile ? `; see ${logFile}` : ''}`),
        ),
      startTimeoutMs,
    );
    const onData = chunk => {
      seen += chunk;
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`code-server exited at start (code ${code})${logFile ? `; see ${logFile}` : ''}`));
    });
  });
  return { origin, process: child, stop: () => killProcessGroup(child.pid) };
}

/** Live (non-zombie) members of a process group, read from /proc. */
function groupAlive(pgid) {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') return true;
    } catch {
      /* the process ended while we looked */
    }
  }
  return false;
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

/** SIGTERM the group, give it 5 s, then SIGKILL. */
export async function killProcessGroup(pgid) {
  if (!pgid || !groupAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    /* gone */
  }
  for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (let i = 0; i < 20 && groupAlive(pgid); i++) await sleep(100);
}
