// The small loaders the launcher runs for what starts often: dist/agent-hook.js for `agent-hook AGENT` (each agent
// tool call starts it twice) and dist/cli-cached.js for the git hooks (`hook ...`, each commit). Each loads its bundle
// (dist/agent-hook-bundle.js, dist/cli.js) with V8's code cache, so the code is not compiled again at each start. The
// cache lives in the person's cache folder, named by the bundle's content hash (set at build time), Node's and V8's
// versions and the architecture; a missing, stale or rejected cache costs one ordinary compile and is written again
// at exit. Anything unexpected falls back to a plain require of the bundle.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The bundle's file name beside the loader, its content hash and length, set at build time (scripts/build.mjs). */
declare const LOADER_BUNDLE: string;
declare const LOADER_BUNDLE_HASH: string;
declare const LOADER_BUNDLE_SIZE: number;
/** What the cache files are named after ('agent-hook', 'cli'). */
declare const LOADER_CACHE_PREFIX: string;
/** What runs the command when the bundle is missing (the whole CLI, for the agent hook), or ''. */
declare const LOADER_FALLBACK: string;

const bundle = path.join(__dirname, LOADER_BUNDLE);

/** A bundle's module: the CLI's exports `runAsMain`, which does what running it as the main module does. */
type Loaded = { runAsMain?: () => void } | undefined;

/** The person's own cache folder for compiled code, or undefined when there is none we can trust. */
function cacheFolder(): string | undefined {
  const base =
    process.env.XDG_CACHE_HOME ||
    (process.platform === 'win32'
      ? process.env.LOCALAPPDATA
      : process.env.HOME
        ? path.join(process.env.HOME, '.cache')
        : undefined);
  if (!base || !path.isAbsolute(base)) return undefined;
  return path.join(base, 'ai-provenance', 'code-cache');
}

/** The bundle compiled with the cache when there is one, ready to run; undefined when that cannot be done. */
function compile(): (() => Loaded) | undefined {
  // A first line `#!...` (the CLI's) is Node's to skip, not JavaScript: kept as an empty line, lines stay where they are.
  const source = fs.readFileSync(bundle, 'utf8').replace(/^#![^\n]*/, '');
  // The hash names the bundle this loader was built with (V8 itself checks only the source's length).
  if (source.length !== LOADER_BUNDLE_SIZE) return undefined;
  const folder = cacheFolder();
  // V8's version too: Electron and Node can share a Node version and not a V8.
  const file =
    folder &&
    path.join(
      folder,
      `${LOADER_CACHE_PREFIX}-${LOADER_BUNDLE_HASH}-${process.version}-v8-${process.versions.v8}-${process.arch}.cache`,
    );
  const cached = file ? readOwnCache(folder!, file) : undefined;
  // The wrapper Node gives every CommonJS module.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: bundle, ...(cached ? { cachedData: cached } : {}) });
  if (file && (!cached || script.cachedDataRejected === true))
    // At exit every function the hook ran is compiled: the cache holds them all.
    process.once('exit', () => writeCache(folder!, file, script));
  const run = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
  ) => void;
  return () => {
    const module = { exports: {} };
    run.call(module.exports, module.exports, createRequire(bundle), module, bundle, __dirname);
    return module.exports as Loaded;
  };
}

/**
 * The cache file, only when it and its folder are the person's own and nobody else can write them: code is loaded
 * from it. Read through the descriptor that was checked (not through a link).
 */
function readOwnCache(folder: string, file: string): Buffer | undefined {
  const uid = process.getuid?.();
  const own = (st: fs.Stats): boolean => uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0);
  let fd: number | undefined;
  try {
    const dir = fs.lstatSync(folder);
    if (!dir.isDirectory() || !own(dir)) return undefined;
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile() || !own(st)) return undefined;
    return fs.readFileSync(fd);
  } catch {
    return undefined; // none yet
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeCache(folder: string, file: string, script: vm.Script): void {
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    // Not into a folder others can write to: it would never be read back.
    const uid = process.getuid?.();
    const dir = fs.lstatSync(folder);
    if (!dir.isDirectory() || (uid !== undefined && (dir.uid !== uid || (dir.mode & 0o022) !== 0))) return;
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(temp, file);
    // The caches of this bundle's earlier versions are of no more use.
    for (const name of fs.readdirSync(folder))
      if (
        name.startsWith(`${LOADER_CACHE_PREFIX}-`) &&
        name.endsWith('.cache') &&
        !name.startsWith(`${LOADER_CACHE_PREFIX}-${LOADER_BUNDLE_HASH}-`)
      )
        fs.rmSync(path.join(folder, name), { force: true });
  } catch {
    // a cache we cannot write costs a compile next time, nothing else
  }
}

let start: (() => Loaded) | undefined;
try {
  start = compile();
} catch {
  // unreadable or not compilable here: Node's own loading says what is wrong
}
// Run once, whichever way it was loaded: the command handles its own errors. Without its bundle (a copy that lost
// it), the fallback runs the command; without that either, the agent or git still goes on.
const load = createRequire(__filename);
const fallback = LOADER_FALLBACK === '' ? undefined : path.join(__dirname, LOADER_FALLBACK);
let loaded: Loaded;
if (start) loaded = start();
else if (fs.existsSync(bundle)) loaded = load(bundle) as Loaded;
else if (fallback !== undefined && fs.existsSync(fallback)) loaded = load(fallback) as Loaded;
// Loaded this way the CLI is not the main module: it is told to run as if it were. A CLI that cannot be run fails
// loudly, so that the launcher marks the commit (AI-Attribution: v1 failed) instead of it passing unattributed; the
// agent hook's loader (it has a fallback) never fails the agent.
if (typeof loaded?.runAsMain === 'function') loaded.runAsMain();
else if (fallback === undefined) {
  process.stderr.write(`ai-provenance: ${bundle} is missing or not this version's CLI; reinstall AI Provenance\n`);
  process.exitCode = 70;
} else if (!start && !fs.existsSync(bundle) && !fs.existsSync(fallback))
  process.stderr.write(`ai-provenance: ${bundle} is missing; reinstall AI Provenance\n`);
