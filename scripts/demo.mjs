// The demo: packages the extension, installs the .vsix into a VS Code served by code-server on 127.0.0.1,
// opens a small demo repository in it, and prints the address. Everything lives under .demo/ (git-ignored)
// and is made anew on every start.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureCodeServer, installVsix, quietSettings, repoRoot, startCodeServer, writeUserSettings } from './e2e/code-server.mjs';

const port = Number(process.env.DEMO_PORT ?? 8080);
const demo = path.join(repoRoot, '.demo');
fs.rmSync(demo, { recursive: true, force: true });
const dir = name => { const d = path.join(demo, name); fs.mkdirSync(d, { recursive: true }); return d; };
const userDataDir = dir('user-data');
const extensionsDir = dir('extensions');
const repo = dir('demo-repo');

ensureCodeServer();
console.log('[demo] packaging the extension');
const packaged = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs')], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const vsix = packaged.trim().split('\n').pop();
installVsix(vsix, extensionsDir, userDataDir);
writeUserSettings(userDataDir, quietSettings);

// A small repository with a history, as a developer would have.
const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
git('init', '-q', '-b', 'main');
git('config', 'user.name', 'Demo Developer');
git('config', 'user.email', 'developer@example.invalid');
git('config', 'commit.gpgsign', 'false');
fs.mkdirSync(path.join(repo, 'src'));
fs.writeFileSync(path.join(repo, 'README.md'), '# Demo service\n\nA small repository to try AI Provenance on.\n');
fs.writeFileSync(path.join(repo, 'src', 'prices.ts'), 'export function total(prices: number[]): number {\n  return prices.reduce((sum, p) => sum + p, 0);\n}\n');
git('add', '.');
git('commit', '-q', '-m', 'Add price totals');
git('switch', '-q', '-c', 'feature/discounts');

const server = await startCodeServer({ userDataDir, extensionsDir, workDir: demo, port, logFile: path.join(demo, 'code-server.log') });
const url = `${server.origin}/?folder=${encodeURIComponent(repo)}`;
console.log(`\nAI Provenance demo is running. Open:\n\n  ${url}\n\nThe "AI Provenance" entry is in the activity bar (shield icon). Ctrl+C stops the demo.`);
const stop = async () => { await server.stop(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.process.once('exit', code => { console.error(`[demo] code-server exited (${code}); log: ${path.join(demo, 'code-server.log')}`); process.exit(1); });
