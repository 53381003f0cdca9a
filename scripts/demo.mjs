// The demo: packages the extension, installs the .vsix into a VS Code served by code-server on 127.0.0.1, and
// opens a demo repository set up for the whole flow: a roster of seniors on main, a junior's branch with a
// commit Claude Code wrote (through the real agent hook and git hooks), ready to request review and sign off.
// Everything lives under .demo/ (git-ignored) and is made anew on every start.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ensureCodeServer,
  installVsix,
  quietSettings,
  repoRoot,
  startCodeServer,
  writeUserSettings,
} from './e2e/code-server.mjs';

const port = Number(process.env.DEMO_PORT ?? 8080);
const demo = path.join(repoRoot, '.demo');
fs.rmSync(demo, { recursive: true, force: true });
const dir = name => {
  const d = path.join(demo, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
};
const userDataDir = dir('user-data');
const extensionsDir = dir('extensions');
const repo = dir('demo-repo');
const keys = dir('keys');
const home = dir('home'); // our launcher goes here, not into your ~/.local/share
const env = { ...process.env, AI_PROVENANCE_HOME: home };

ensureCodeServer();
console.log('[demo] packaging the extension');
const packaged = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs')], {
  cwd: repoRoot,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const vsix = packaged.trim().split('\n').pop();
installVsix(vsix, extensionsDir, userDataDir);
writeUserSettings(userDataDir, { ...quietSettings, 'aiProvenance.baseBranch': 'main' });

const cli = path.join(repoRoot, 'dist', 'cli.js');
const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'pipe', env });
const aiProvenance = (args, input) =>
  execFileSync(process.execPath, [cli, ...args], { cwd: repo, env, input, stdio: ['pipe', 'pipe', 'inherit'] });

// main: a small service, the team's sign-off policy and the roster of seniors (their SSH signing keys).
execFileSync('ssh-keygen', [
  '-q',
  '-t',
  'ed25519',
  '-N',
  '',
  '-C',
  'senior@example.invalid',
  '-f',
  path.join(keys, 'senior'),
]);
git('init', '-q', '-b', 'main');
git('config', 'user.name', 'Jo Junior');
git('config', 'user.email', 'junior@example.invalid');
git('config', 'commit.gpgsign', 'false');
fs.mkdirSync(path.join(repo, 'src'));
fs.mkdirSync(path.join(repo, '.ai-provenance'));
fs.writeFileSync(path.join(repo, 'README.md'), '# Demo service\n\nA small repository to try AI Provenance on.\n');
fs.writeFileSync(
  path.join(repo, 'src', 'prices.ts'),
  'export function total(prices: number[]): number {\n  return prices.reduce((sum, p) => sum + p, 0);\n}\n',
);
const seniorKey = fs.readFileSync(path.join(keys, 'senior.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
fs.writeFileSync(path.join(repo, '.ai-provenance', 'allowed_signers'), `senior@example.invalid ${seniorKey}\n`);
fs.writeFileSync(
  path.join(repo, '.ai-provenance', 'policy.json'),
  JSON.stringify({ version: 1, signoff: { minAiLines: 1, highRisk: ['infra/**'] } }, null, 2) + '\n',
);
git('add', '.');
git('commit', '-q', '-m', 'Add price totals and the sign-off policy');
aiProvenance(['hooks', 'install']);

// The junior's branch: Claude Code writes a file through its tools; its hooks tell AI Provenance what it wrote.
git('switch', '-q', '-c', 'feature/discounts');
const file = path.join(repo, 'src', 'discounts.ts');
const content =
  'export function discount(total: number, percent: number): number {\n  if (percent < 0 || percent > 100) throw new RangeError("percent out of range");\n  return total * (1 - percent / 100);\n}\n';
const payload = event =>
  JSON.stringify({
    session_id: 'demo-session',
    transcript_path: path.join(demo, 'no-transcript.jsonl'),
    cwd: repo,
    permission_mode: 'default',
    hook_event_name: event,
    tool_name: 'Write',
    tool_input: { file_path: file, content },
    tool_use_id: 'toolu_demo',
    ...(event === 'PostToolUse' ? { tool_response: { filePath: file, success: true } } : {}),
  });
aiProvenance(['agent-hook', 'claude-code'], payload('PreToolUse'));
fs.writeFileSync(file, content);
aiProvenance(['agent-hook', 'claude-code'], payload('PostToolUse'));
git('add', 'src/discounts.ts');
git('commit', '-q', '-m', 'Add percentage discounts');

// How to play the senior: their identity and signing key, for this repository only.
const becomeSenior = path.join(demo, 'become-senior.sh');
fs.writeFileSync(
  becomeSenior,
  `#!/bin/sh
# Makes the demo repository's commits come from the senior, signed with the senior's SSH key.
git -C '${repo}' config user.name 'Sam Senior'
git -C '${repo}' config user.email senior@example.invalid
git -C '${repo}' config gpg.format ssh
git -C '${repo}' config user.signingkey '${path.join(keys, 'senior.pub')}'
echo "You are now the senior in the demo repository."
`,
  { mode: 0o755 },
);

const server = await startCodeServer({
  userDataDir,
  extensionsDir,
  workDir: demo,
  port,
  logFile: path.join(demo, 'code-server.log'),
  env: { AI_PROVENANCE_HOME: home },
});
const url = `${server.origin}/?folder=${encodeURIComponent(repo)}`;
console.log(`
AI Provenance demo is running. Open:

  ${url}

The demo repository is on the branch feature/discounts, whose last commit Claude Code wrote. Try the flow:
  1. Open AI Provenance (shield icon in the activity bar): "Add percentage discounts" waits for sign-off.
     Open src/discounts.ts: its lines are marked as AI in the gutter.
  2. Request Senior Review (envelope icon): pick senior@example.invalid; the review packet opens.
  3. In the terminal, play the senior:            sh ${becomeSenior}
  4. Review (the first icon of the view's title bar): the AI-written code in VS Code's multi-file diff, its AI
     lines marked. Tick the file's box in the sidebar once viewed: Sign Off waits for it.
  5. Sign Off (check mark icon): see exactly what you sign, and sign it with the senior's SSH key. Or, from the
     view's ... menu, Request Changes with a comment: a signed record that check shows as changes-requested.
  6. CI's view, in the terminal:                   node ${cli} check --base main
     (exit 1 before the sign-off, 0 after; try it before step 5 too)

Ctrl+C stops the demo.`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.process.once('exit', code => {
  console.error(`[demo] code-server exited (${code}); log: ${path.join(demo, 'code-server.log')}`);
  process.exit(1);
});
