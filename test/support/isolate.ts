import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Every test process runs in an environment of its own: loaded first by each mocha layer (`require` in
 * test/<layer>/.mocharc.json), before any test file, so the git, ssh-keygen and CLI processes the tests start
 * inherit it too.
 *
 * - git reads no configuration of the developer's or the machine's: `GIT_CONFIG_GLOBAL` names a file of ours and
 *   `GIT_CONFIG_NOSYSTEM` turns off /etc/gitconfig. A `commit.gpgsign`, `core.hooksPath`, `init.defaultBranch`,
 *   alias or `url.*.insteadOf` of the developer's can then change nothing a test sees.
 * - `HOME` (and the XDG folders) is a fresh folder: agents' user configuration (~/.claude, ~/.codex ...), our
 *   launcher and ssh's files are the test's, never the developer's.
 * - git variables that point git elsewhere (a test run from inside a git hook inherits `GIT_DIR`, `GIT_INDEX_FILE`
 *   ...) and identity overrides are removed.
 */

/** Variables that would make git look at another repository, index or identity than the one a test set up. */
const GIT_LEAKS = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_CONFIG_SYSTEM',
  'GIT_REPLACE_REF_BASE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_EXEC_PATH',
  'GIT_TEMPLATE_DIR',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR',
  'GIT_TRACE',
  'AI_PROVENANCE_HOME',
];

/** The global git configuration every test sees: only what makes runs repeatable. */
const GLOBAL_CONFIG = `[init]
\tdefaultBranch = main
[advice]
\tdetachedHead = false
[protocol "file"]
\tallow = always
`;

/**
 * The environment `base` becomes for tests, with its home in `home` (created, with the git configuration file
 * in it). Pure apart from writing that file; exported so a test can prove what it keeps out.
 */
export function isolatedEnv(base: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of Object.keys(env))
    if (name.startsWith('GIT_CONFIG_KEY_') || name.startsWith('GIT_CONFIG_VALUE_')) delete env[name];
  for (const name of GIT_LEAKS) delete env[name];
  fs.mkdirSync(home, { recursive: true });
  const gitconfig = path.join(home, '.gitconfig-tests');
  fs.writeFileSync(gitconfig, GLOBAL_CONFIG);
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  };
}

/** Applies isolatedEnv to this process, once; the folder goes when the process exits. */
function isolateThisProcess(): void {
  if (process.env.AI_PROVENANCE_TEST_ISOLATED === String(process.pid)) return;
  // A test process started by another has that one's TMPDIR: its own folders go beside, not inside, so that paths
  // stay short (a Unix socket's path, Chromium's for one, must fit in 107 bytes).
  const tmpRoot = process.env.AI_PROVENANCE_TEST_TMP_ROOT ?? os.tmpdir();
  const home = fs.realpathSync(fs.mkdtempSync(path.join(tmpRoot, 'ai-provenance-test-home-')));
  // The machine's test cache (code-server, the agent CLIs) stays where it is: installed once per machine.
  const cache =
    process.env.AI_PROVENANCE_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'ai-provenance');
  // Temporary files of the tests and of every program they start (an agent CLI's extracted native libraries, say)
  // go under the home, so they go with it.
  const tmp = path.join(home, 'tmp');
  fs.mkdirSync(tmp);
  const env = {
    ...isolatedEnv(process.env, home),
    AI_PROVENANCE_CACHE: cache,
    TMPDIR: tmp,
    AI_PROVENANCE_TEST_TMP_ROOT: tmpRoot,
  };
  for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name];
  Object.assign(process.env, env, { AI_PROVENANCE_TEST_ISOLATED: String(process.pid) });
  process.once('exit', () => fs.rmSync(home, { recursive: true, force: true }));
}

isolateThisProcess();
