import { readObject } from './cat-file';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { git, runGit } from './git';
import { parseBlamePorcelain, parseStatus, type BlameLine, type StatusEntry } from './parse';

/**
 * The questions the CLI and the extension ask git, each a named function: they never build a git command line
 * themselves (lint enforces it), so each output is parsed once (parse.ts) and each command has one owner.
 */

/** `git blame --porcelain` of a file as it is in the work tree; undefined when git does not track it. */
export async function blameFile(root: string, repoPath: string, logger?: Logger): Promise<BlameLine[] | undefined> {
  const r = await runGit(['blame', '--porcelain', '--', repoPath], { cwd: root, okExitCodes: [0, 128], logger });
  return r.exitCode === 0 ? parseBlamePorcelain(r.stdout) : undefined;
}

/** The commit that last changed line `line` (1-based) of the saved `file`; undefined when not committed yet. */
export async function commitOfLine(file: string, line: number, logger?: Logger): Promise<string | undefined> {
  const r = await runGit(['blame', '--porcelain', '-L', `${line},${line}`, '--', path.basename(file)], {
    cwd: path.dirname(file),
    okExitCodes: [0, 128],
    logger,
  });
  if (r.exitCode !== 0) return undefined;
  const id = parseBlamePorcelain(r.stdout)[0]?.commit;
  return id && !/^0+$/.test(id) ? id : undefined;
}

/**
 * How our trailers are read, whatever the person's configuration says (`trailer.separators`, `core.commentChar`):
 * the same for check, the merge gate and blame.
 */
export const TRAILER_READING: readonly string[] = ['-c', 'trailer.separators=:', '-c', 'core.commentChar=#'];

/**
 * The first value of trailer `key` in each of `commits`' messages, by git's own trailer parsing, from one git process
 * (the commits go on its standard input, so there is no limit on how many).
 */
export async function trailersOf(
  root: string,
  commits: readonly string[],
  key: string,
  logger?: Logger,
): Promise<Map<string, string | undefined>> {
  const found = new Map<string, string | undefined>();
  if (commits.length === 0) return found;
  const out = await git(
    [
      ...TRAILER_READING,
      'log',
      '-z',
      '--no-walk=unsorted',
      '--no-show-signature',
      '--stdin',
      `--format=%H%x1f%(trailers:key=${key},valueonly,separator=%x1f)`,
    ],
    { cwd: root, logger, input: `${commits.join('\n')}\n` },
  );
  for (const record of out.split('\0')) {
    const [id, first] = record.split('\x1f');
    if (id && /^[0-9a-f]{40,64}$/.test(id.trim())) found.set(id.trim(), first?.trim() || undefined);
  }
  return found;
}

/** The commits of a revision range, newest first. */
export async function commitsOf(root: string, range: string, logger?: Logger): Promise<string[]> {
  return (await git(['rev-list', range, '--'], { cwd: root, logger })).split('\n').filter(Boolean);
}

/** `git status` of the work tree: every changed and untracked file (untracked folders listed file by file). */
export async function statusOf(root: string, logger?: Logger): Promise<StatusEntry[]> {
  const r = await runGit(['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: root, logger });
  return parseStatus(r.stdout);
}

/** The URL of a remote, or undefined when there is no such remote. */
export async function remoteUrl(root: string, remote: string, logger?: Logger): Promise<string | undefined> {
  const r = await runGit(['remote', 'get-url', remote], { cwd: root, okExitCodes: [0, 2, 128], logger });
  return r.exitCode === 0 ? r.stdout.trim() || undefined : undefined;
}

/** The short name of the checked-out branch, or undefined on a detached HEAD. */
export async function currentBranch(root: string, logger?: Logger): Promise<string | undefined> {
  const r = await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: root, okExitCodes: [0, 1, 128], logger });
  return r.exitCode === 0 ? r.stdout.trim() || undefined : undefined;
}

/** Stores `text` in the object database as a blob (so a later re-anchoring finds it); returns its id. */
export async function writeBlob(root: string, text: string | Buffer, logger?: Logger): Promise<string> {
  return git(['hash-object', '-w', '--stdin'], { cwd: root, input: text, logger });
}

/**
 * Makes sure the object database holds each text, whose blob id the caller computed: the running `cat-file`
 * (cat-file.ts) is asked first, since a text is usually there already (git add wrote it). One missing text is written
 * by `hash-object` (a loose object, as git add writes it); several by one `git fast-import` (one pack, or loose
 * objects for 100 or fewer): a git start per text made a drain of 1,000 agent records take seconds.
 */
export async function ensureBlobs(
  root: string,
  items: readonly { text: string | Buffer; id: string }[],
  logger?: Logger,
): Promise<void> {
  const unique = [...new Map(items.map(item => [item.id, item])).values()];
  const present = await Promise.all(unique.map(item => readObject(root, item.id, logger)));
  const missing = unique.filter((_, i) => present[i] === undefined);
  if (missing.length === 0) return;
  if (missing.length === 1) {
    await writeBlob(root, missing[0]!.text, logger);
    return;
  }
  const stream: Buffer[] = [];
  for (const { text } of missing) {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    stream.push(Buffer.from(`blob\ndata ${bytes.length}\n`, 'latin1'), bytes, Buffer.from('\n', 'latin1'));
  }
  stream.push(Buffer.from('done\n', 'latin1'));
  // --done: a stream cut short is an error, never a partial import taken for whole.
  await git(['fast-import', '--quiet', '--done'], { cwd: root, input: Buffer.concat(stream), logger });
}

/** The text of `repoPath` in the commit HEAD points at; undefined when there is no such file (or no commit). */
export async function fileAtHead(root: string, repoPath: string, logger?: Logger): Promise<string | undefined> {
  const r = await runGit(['show', `HEAD:${repoPath}`], { cwd: root, okExitCodes: [0, 128], logger });
  return r.exitCode === 0 ? r.stdout : undefined;
}

/**
 * When the last commit reachable from `rev` that touched one of `paths` was made (committer time, in ms since the
 * epoch); 0 when there is none, or `rev` is not a commit (the empty tree of a first commit).
 */
export async function lastChangeTime(
  root: string,
  rev: string,
  paths: readonly string[],
  logger?: Logger,
): Promise<number> {
  const r = await runGit(
    ['log', '-1', '--format=%ct', '--no-show-signature', '--end-of-options', rev, '--', ...paths],
    {
      cwd: root,
      okExitCodes: [0, 128],
      logger,
    },
  );
  const seconds = r.exitCode === 0 ? Number.parseInt(r.stdout.trim(), 10) : Number.NaN;
  return Number.isFinite(seconds) ? seconds * 1000 : 0;
}

/** The id `rev` names (`git rev-parse`); throws a GitError when it names nothing. */
export async function revParse(root: string, rev: string, logger?: Logger): Promise<string> {
  return git(['rev-parse', '--verify', '--end-of-options', rev], { cwd: root, logger });
}

/** Writes the index as a tree object and returns its id. */
export async function writeTree(root: string, logger?: Logger): Promise<string> {
  return git(['write-tree'], { cwd: root, logger });
}

/** The comment character of commit messages (`core.commentChar`; `#` when unset or `auto`). */
export async function commentChar(root: string, logger?: Logger): Promise<string> {
  const configured = (
    await runGit(['config', '--get', 'core.commentChar'], { cwd: root, okExitCodes: [0, 1], logger })
  ).stdout.trim();
  return configured === '' || configured === 'auto' ? '#' : configured;
}

/** One `--if-exists` group of trailers for interpretTrailers. */
export interface TrailerGroup {
  ifExists: 'addIfDifferent' | 'replace';
  /** `Key: value` lines. */
  trailers: readonly string[];
}

/** The trailers git reads in a commit message (`git interpret-trailers --parse`), one `Key: value` line each. */
export async function parseTrailers(root: string, message: string, logger?: Logger): Promise<string[]> {
  const out = await git(['interpret-trailers', '--parse', '--no-divider'], { cwd: root, input: message, logger });
  return out.split('\n').filter(line => line !== '');
}

/** Adds trailers to a commit message file in place, as `git interpret-trailers` does (no `---` divider). */
export async function addTrailers(
  root: string,
  messageFile: string,
  groups: readonly TrailerGroup[],
  logger?: Logger,
): Promise<void> {
  const args = ['interpret-trailers', '--in-place', '--no-divider'];
  for (const group of groups) {
    if (group.trailers.length === 0) continue;
    args.push('--if-exists', group.ifExists);
    for (const trailer of group.trailers) args.push('--trailer', trailer);
  }
  args.push(messageFile);
  await git(args, { cwd: root, logger });
}

/**
 * Every ref git's name resolution could take `name` for (gitrevisions: `$GIT_DIR/<name>`, `refs/<name>`,
 * `refs/tags/<name>`, `refs/heads/<name>`, `refs/remotes/<name>`, `refs/remotes/<name>/HEAD`), plus `object` when
 * it is also the start of an object id. git picks the first silently (a tag `main` beats the branch `main`); a
 * gate must not: more than one answer means the name is ambiguous. Only the name part of a revision is looked at
 * (`origin/main` of `origin/main~2`); full object ids and `refs/...` names are never ambiguous.
 */
export async function refsNamedBy(root: string, rev: string, logger?: Logger): Promise<string[]> {
  const name = /^(.*?)(?:[~^:]|@\{|$)/.exec(rev)?.[1] ?? '';
  if (name === '' || name === '@' || /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(name) || name.startsWith('refs/'))
    return [];
  const candidates = [
    `refs/${name}`,
    `refs/tags/${name}`,
    `refs/heads/${name}`,
    `refs/remotes/${name}`,
    `refs/remotes/${name}/HEAD`,
  ];
  const listed = await runGit(['for-each-ref', '--format=%(refname)', '--', ...candidates], { cwd: root, logger });
  const listedRefs = new Set(listed.stdout.split('\n'));
  // In the order git tries them: the first is what git would silently take.
  const found = candidates.filter(ref => listedRefs.has(ref));
  if (/^[A-Z][A-Z0-9_]*$/.test(name)) {
    // HEAD, FETCH_HEAD, ORIG_HEAD...: a file in the git folder comes first of all (HEAD always is one).
    if (
      name === 'HEAD' ||
      fs.existsSync(path.resolve(root, await git(['rev-parse', '--git-path', name], { cwd: root, logger })))
    )
      found.unshift(`$GIT_DIR/${name}`);
  }
  if (/^[0-9a-f]{4,63}$/.test(name)) {
    const objects = await runGit(['rev-parse', `--disambiguate=${name}`], { cwd: root, okExitCodes: [0, 128], logger });
    if (objects.stdout.trim() !== '') found.push('object');
  }
  return [...new Set(found)];
}
