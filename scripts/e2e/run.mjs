#!/usr/bin/env node
// Runs the e2e mocha suite (out/test/e2e/suite) inside a real VS Code: code-server's remote Node extension
// host, with the workbench opened in Debian's headless Chromium through playwright-core. @vscode/test-electron
// cannot download VS Code on machines without internet; see scripts/e2e/run-electron.mjs for machines that can.
//
//   node scripts/e2e/run.mjs                 the extension from this folder (development mode), full suite
//   node scripts/e2e/run.mjs --vsix FILE     FILE installed as a user would, packaged suite only
//   --vscode oldest|newest                   which VS Code (scripts/e2e/code-server.mjs VSCODE_TARGETS; default
//                                            oldest, or E2E_VSCODE): the oldest engines.vscode allows, or the newest
//
// Exit code: 0 all passed, 1 a test failed, 2 the harness could not run the suite (setup, crash, timeout).
// Environment: E2E_GREP (mocha grep), E2E_TIMEOUT_MS (default 300000), E2E_KEEP=1 (keep the temp folder),
// E2E_VERBOSE=1 (all browser console lines), CHROMIUM_PATH (default /usr/bin/chromium).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, format } from 'node:util';
import { chromium } from 'playwright-core';
import {
  ensureCodeServer,
  installVsix,
  vscodeTarget,
  quietSettings,
  repoRoot,
  startCodeServer,
  writeUserSettings,
  killProcessGroup,
} from './code-server.mjs';

const started = Date.now();
const { values: opts } = parseArgs({ options: { vsix: { type: 'string' }, vscode: { type: 'string' } } });
const target = vscodeTarget(opts.vscode ?? process.env.E2E_VSCODE ?? 'oldest');
// Every line names the VS Code it is about: a failure in one version says which.
const log = (...args) =>
  console.log(`[e2e VS Code ${target.vscode} +${((Date.now() - started) / 1000).toFixed(1)}s]`, ...args);
const mode = opts.vsix ? 'vsix' : 'dev';
const runName = target.name === 'oldest' ? mode : `${mode}-${target.name}`;
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS ?? 300000);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The only global git configuration the suite's git sees: a file of the run's own. */
function testGitConfig(dir) {
  const file = path.join(dir, 'gitconfig');
  fs.writeFileSync(file, '[init]\n\tdefaultBranch = main\n');
  return file;
}
const artifactsDir = path.join(repoRoot, '.test-artifacts', `e2e-${runName}`);
fs.rmSync(artifactsDir, { recursive: true, force: true });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-e2e-'));
const dir = name => {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
};
const userDataDir = dir('user-data');
const extensionsDir = dir('extensions');
const workspace = dir('workspace');
const browserTmp = dir('browser-tmp');
const shots = dir('screenshots');
const resultsFile = path.join(tmp, 'results.json');
const reloadFile = path.join(tmp, 'reload-requested');
const serverLog = path.join(tmp, 'code-server.log');

/** A small git repository to open, like the one a developer works in. */
function makeWorkspace() {
  const git = (...args) => execFileSync('git', args, { cwd: workspace, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'E2E Tester');
  git('config', 'user.email', 'e2e@example.invalid');
  git('config', 'commit.gpgsign', 'false');
  fs.writeFileSync(path.join(workspace, 'README.md'), '# e2e workspace\n');
  fs.mkdirSync(path.join(workspace, 'src'));
  fs.writeFileSync(
    path.join(workspace, 'src', 'main.ts'),
    'export function main(): void {\n  console.log("hello");\n}\n',
  );
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
  // Where VS Code's agent reads a repository's hooks: a folder that exists is watched as it changes (a missing one
  // is polled every few seconds), so the hooks a test installs are seen before its chat request runs.
  fs.mkdirSync(path.join(workspace, '.github', 'hooks'), { recursive: true });
}

/**
 * The scripted language model VS Code's own agent runs against (test/e2e/model-provider), installed as a user
 * would install an extension: the workbench takes one development extension only.
 */
function installScriptedModel() {
  const source = path.join(repoRoot, 'test', 'e2e', 'model-provider');
  const folder = dir('scripted-model');
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...manifest, main: './extension.js' }, null, 2));
  fs.copyFileSync(
    path.join(repoRoot, 'out', 'test', 'e2e', 'model-provider', 'extension.js'),
    path.join(folder, 'extension.js'),
  );
  fs.writeFileSync(path.join(folder, 'README.md'), `# ${manifest.displayName}\n\n${manifest.description}\n`);
  const vsix = path.join(tmp, 'scripted-model.vsix');
  execFileSync(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--skip-license',
      '--out',
      vsix,
    ],
    { cwd: folder, stdio: 'pipe' },
  );
  installVsix(vsix, extensionsDir, userDataDir, target);
}

let server;
let browserServer;
let browser;
let control;
let page;

/**
 * The tests talk to the harness over HTTP on 127.0.0.1 (URL in E2E_CONTROL_URL) for what only a person can
 * do: press keys in the browser, read the DOM, click, take a screenshot.
 */
function startControlServer() {
  control = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (!page) return reply(503, { error: 'the page is not open yet' });
      const param = name => url.searchParams.get(name) ?? '';
      switch (url.pathname) {
        case '/press':
          await page.keyboard.press(param('key'));
          return reply(200, { ok: true });
        case '/type':
          await page.keyboard.type(param('text'));
          return reply(200, { ok: true });
        case '/query': {
          const found = await page.$$eval(param('selector'), els =>
            els.slice(0, 20).map(e => ({
              text: (e.textContent ?? '').replace(/\u00a0/g, ' ').slice(0, 2000),
              label: e.getAttribute('aria-label') ?? '',
            })),
          );
          return reply(200, { count: found.length, elements: found });
        }
        case '/click': {
          // The first element matching the selector (and holding the text, when given), clicked as a person would.
          const text = param('text');
          const found = page.locator(param('selector'), text ? { hasText: text } : {});
          await found.first().click({ timeout: 10000 });
          return reply(200, { ok: true });
        }
        case '/hover': {
          // The pointer over the first element matching the selector: shows a row's inline actions.
          await page.locator(param('selector')).first().hover({ timeout: 10000 });
          return reply(200, { ok: true });
        }
        case '/screenshot': {
          const file = path.join(shots, `${param('name').replace(/[^\w.-]/g, '_') || 'shot'}.png`);
          await page.screenshot({ path: file });
          return reply(200, { file });
        }
        default:
          return reply(404, { error: `unknown endpoint ${url.pathname}` });
      }
    } catch (error) {
      reply(500, { error: String(error) });
    }
  });
  return new Promise(resolve =>
    control.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${control.address().port}`)),
  );
}

function saveArtifacts(exitLogs) {
  try {
    fs.mkdirSync(artifactsDir, { recursive: true });
    for (const f of [serverLog, resultsFile])
      if (fs.existsSync(f)) fs.copyFileSync(f, path.join(artifactsDir, path.basename(f)));
    fs.cpSync(shots, path.join(artifactsDir, 'screenshots'), { recursive: true });
    const serverLogs = path.join(userDataDir, 'logs');
    if (fs.existsSync(serverLogs)) fs.cpSync(serverLogs, path.join(artifactsDir, 'server-logs'), { recursive: true });
    for (const l of exitLogs ?? []) {
      const dest = path.join(artifactsDir, 'workbench-logs', l.relativePath);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, l.contents);
    }
    log('artifacts saved in', path.relative(repoRoot, artifactsDir));
  } catch (error) {
    log('could not save artifacts:', error);
  }
}

let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  try {
    await browser?.close();
  } catch {
    /* already gone */
  }
  const chromePid = browserServer?.process()?.pid;
  try {
    await browserServer?.close();
  } catch {
    /* already gone */
  }
  await killProcessGroup(chromePid); // playwright starts Chromium in its own group
  await server?.stop();
  control?.close();
  if (process.env.E2E_KEEP) log('kept', tmp);
  else fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, async () => {
    await cleanup();
    process.exit(130);
  });

async function main() {
  ensureCodeServer(log, target);
  makeWorkspace();
  writeUserSettings(userDataDir, {
    ...quietSettings,
    'editor.inlineSuggest.enabled': true,
    'editor.quickSuggestions': { other: false, comments: false, strings: false },
    'editor.suggestOnTriggerCharacters': false,
    // VS Code's agent (newest) on the scripted model does its small side tasks (titles) on that model too.
    'chat.byokUtilityModelDefault': 'mainAgent',
  });

  // In vsix mode the extension under test is the installed package; the development path is a bare host
  // extension whose only job is to let VS Code load the test runner.
  let developmentPath = repoRoot;
  if (mode === 'vsix') {
    const vsix = path.resolve(opts.vsix);
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} does not exist: build it with npm run package`);
    installVsix(vsix, extensionsDir, userDataDir, target);
    log('installed', path.basename(vsix));
    developmentPath = path.join(repoRoot, 'test', 'e2e', 'host');
  }

  if (mode === 'dev') {
    installScriptedModel();
    log('installed the scripted language model (test/e2e/model-provider)');
  }

  const controlUrl = await startControlServer();
  server = await startCodeServer({
    userDataDir,
    extensionsDir,
    workDir: tmp,
    logFile: serverLog,
    target,
    env: {
      // inherited by the remote extension host, so the suite sees them
      E2E_RESULTS_FILE: resultsFile,
      E2E_CONTROL_URL: controlUrl,
      E2E_MODE: mode,
      E2E_EXTENSIONS_DIR: extensionsDir,
      E2E_RELOAD_FILE: reloadFile,
      // the launcher the git hooks call goes here, not into the home folder of whoever runs the tests
      AI_PROVENANCE_HOME: path.join(tmp, 'ai-provenance-home'),
      // git in the suite's temporary repositories reads no developer or machine configuration (as in test/support/isolate.ts)
      GIT_CONFIG_GLOBAL: testGitConfig(tmp),
      GIT_CONFIG_NOSYSTEM: '1',
      ...(process.env.E2E_GREP ? { E2E_GREP: process.env.E2E_GREP } : {}),
      ...(process.env.E2E_BENCH_FILE ? { E2E_BENCH_FILE: process.env.E2E_BENCH_FILE } : {}),
    },
  });
  log('code-server at', server.origin);

  // playwright makes its throw-away profile under os.tmpdir(): keep it in our temp folder.
  process.env.TMPDIR = browserTmp;
  browserServer = await chromium.launchServer({
    executablePath: chromiumPath,
    headless: true,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg', 'browser') },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  browser = await chromium.connect(browserServer.wsEndpoint());
  // Clipboard access, so copy and paste in the workbench reach the system clipboard as on a desktop.
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  page = await context.newPage();

  let finish;
  // The workbench calls these: the first when the test runner settles, the second for extension host output.
  await page.exposeFunction('codeAutomationExit', (code, logs) => finish?.({ code, logs }));
  // Workbench chatter that says nothing about the extension or the tests.
  const chatter =
    /^(Ignoring fetching additional builtin extensions|Creating a socket|\[Service Worker\]|ChatSessionStore|Updating additional builtin extensions cache|\[ChatModelSelection\]|\[AgentHost|\[AccountPolicyGate\]|Resolving connection token|Resolved connection token|\[reconnection-grace-time\])/;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...(args ?? []));
    if (process.env.E2E_VERBOSE || !chatter.test(line.trim())) console.log(`[vscode ${type}] ${line}`);
  });
  page.on('console', msg => {
    const noise = /%c (INFO|WARN)/.test(msg.text()) || /\/vsda\//.test(msg.location()?.url ?? '');
    if (process.env.E2E_VERBOSE || (msg.type() === 'error' && !noise))
      console.log(`[browser ${msg.type()}] ${msg.text()}`);
  });
  page.on('pageerror', error => console.log('[browser page error]', error.message));

  // The payload URIs must use exactly the page's authority.
  const remote = p => `vscode-remote://${new URL(server.origin).host}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(developmentPath)],
    ['extensionTestsPath', remote(path.join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index'))],
    ['skipWelcome', 'true'],
  ];
  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const serverDied = new Promise(resolve => server.process.once('exit', code => resolve({ died: code })));

  /** Writes entries into the workbench's application storage (IndexedDB of the page's origin) before it loads. */
  async function seedBrowserStorage(entries) {
    await page.goto(`${server.origin}/healthz`);
    await page.evaluate(
      items =>
        new Promise((resolve, reject) => {
          const open = globalThis.indexedDB.open('vscode-web-state-db-global');
          open.onupgradeneeded = () => open.result.createObjectStore('ItemTable');
          open.onerror = () => reject(new Error(String(open.error)));
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('ItemTable', 'readwrite');
            for (const [key, value] of Object.entries(items)) tx.objectStore('ItemTable').put(value, key);
            tx.oncomplete = () => {
              db.close();
              resolve();
            };
            tx.onerror = () => reject(new Error(String(tx.error)));
          };
        }),
      entries,
    );
  }

  /** Loads the workbench (again, for a window reload) and waits for the suite it runs to settle. */
  async function runPhase(name) {
    fs.rmSync(resultsFile, { force: true });
    const finished = new Promise(resolve => {
      finish = resolve;
    });
    // VS Code 1.110 and later ship Copilot Chat built in but disable it, once, until chat setup completes (a GitHub
    // sign-in: network). The marker of that one step leaves it enabled, as for a person who signed in, so its
    // agent runs against the scripted model. Older versions never read the key.
    if (name === mode) await seedBrowserStorage({ builtinChatExtensionEnablementMigration: 'true' });
    await page.goto(url);
    log(`workbench opened; running the ${name} suite`);
    const timedOut = new Promise(resolve =>
      setTimeout(() => resolve(undefined), Math.max(1000, timeoutMs - (Date.now() - started))),
    );
    const outcome = await Promise.race([finished, timedOut, serverDied]);
    if (outcome?.died !== undefined) throw new Error(`code-server exited during the run (code ${outcome.died})`);
    if (!outcome) {
      await page.screenshot({ path: path.join(shots, 'timeout.png') }).catch(() => {});
      throw new Error(`the ${name} suite did not finish within ${timeoutMs / 1000}s`);
    }
    let results;
    try {
      results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    } catch {
      /* reported below */
    }
    if (!results) {
      saveArtifacts(outcome.logs);
      throw new Error(`the ${name} suite wrote no results: the test runner did not load (see the errors above)`);
    }
    return { outcome, results };
  }

  const first = await runPhase(mode);
  let { outcome, results } = first;
  if (fs.existsSync(reloadFile)) {
    // A test asked for a window reload: a new page load starts a new extension host, as Developer: Reload Window does.
    const second = await runPhase('after-reload');
    fs.rmSync(reloadFile, { force: true });
    results = {
      ...second.results,
      passes: results.passes + second.results.passes,
      failures: results.failures + second.results.failures,
      pending: results.pending + second.results.pending,
      results: [...results.results, ...second.results.results],
    };
    outcome = { code: Math.max(outcome.code, second.outcome.code), logs: second.outcome.logs };
  }
  fs.writeFileSync(path.join(repoRoot, `test-results-e2e-${runName}.json`), JSON.stringify(results, null, 2));
  log(
    `VS Code ${results.vscodeVersion} (${target.name}): ${results.passes} passing, ${results.failures} failing, ${results.pending} pending`,
  );
  if (results.vscodeVersion !== target.vscode)
    throw new Error(`the suite ran in VS Code ${results.vscodeVersion}, not the ${target.vscode} asked for`);
  const passed = outcome.code === 0 && results.failures === 0 && results.passes > 0;
  if (!passed) {
    await page.screenshot({ path: path.join(shots, 'failure.png') }).catch(() => {});
    saveArtifacts(outcome.logs);
  }
  // The screenshots the tests took, for the docs (E2E_SCREENSHOTS=DIR; docs/README screenshots come from here).
  if (process.env.E2E_SCREENSHOTS) fs.cpSync(shots, process.env.E2E_SCREENSHOTS, { recursive: true });
  const countsFile = process.env.AI_PROVENANCE_TEST_COUNTS;
  if (countsFile)
    fs.appendFileSync(
      countsFile,
      JSON.stringify({
        layer: process.env.AI_PROVENANCE_TEST_LAYER ?? `e2e-${runName}`,
        passes: results.passes,
        failures: results.failures,
        pending: results.pending,
        failed: results.results
          .filter(r => r.state === 'failed')
          .map(r => ({ title: r.title, error: (r.error ?? '').split('\n').slice(0, 4).join('\n') })),
      }) + '\n',
    );
  return passed ? 0 : 1;
}

// A hard stop, so a hang anywhere above still ends in bounded time.
setTimeout(async () => {
  console.error(`[e2e VS Code ${target.vscode}] hard timeout`);
  saveArtifacts();
  await cleanup();
  process.exit(2);
}, timeoutMs + 60000).unref();

let code;
try {
  code = await main();
} catch (error) {
  console.error(`[e2e VS Code ${target.vscode}] the harness failed:`, error?.stack ?? error);
  saveArtifacts();
  code = 2;
} finally {
  await cleanup();
}
log('exit', code);
process.exit(code);
