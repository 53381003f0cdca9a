import * as fs from 'node:fs';
import * as path from 'node:path';
import { v4 as uuidv4 } from 'uuid';
import { buildAgentTrace, firstRecord } from '../../core/formats/git-note';
import type { Logger } from '../../core/log';
import { isReviewRecordMessage } from '../../core/formats/signoff-message';
import { PRODUCT } from '../../core/product';
import {
  AI_ATTRIBUTION,
  ASSISTED_BY,
  FAILED_ATTRIBUTION,
  parseAiAttribution,
  type Attribution,
  formatAiAttribution,
  formatAssistedBy,
  formatCoAuthors,
} from '../../core/formats/trailers';
import { ingestAgentSpool } from '../../io/agents/ingest';
import { unfinishedShellFiles, withLostRecords } from '../../io/agents/unfinished-shells';
import {
  commitHookContext,
  gitCommitArgs,
  isAmend,
  type CommitHookContext,
  type CommitOrigin,
} from '../../io/git/commit-context';
import { loadHistory, mergeChains, type History } from '../../io/attribution/history-attribution';
import { HOOK_MARKERS } from '../../io/git/hooks';
import { addTrailers, commentChar as commentCharOf, parseTrailers, revParse, writeTree } from '../../io/git/queries';
import { noteOf, removeNote, writeNote } from '../../io/git/notes';
import { stagedAttribution } from '../../io/attribution/staged-attribution';
import { openRunsStore } from '../../io/attribution/runs-store';
import { locateRepository, type RepositoryLocation } from '../../io/git/repository';
import { commitExists, emptyTree } from '../../io/git/staged';
import { ensureDir, writeFileAtomic } from '../../io/store/atomic-file';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit';
import { readTrailerPolicy } from '../policy-read';
import { toolVersion } from '../version';
import { appendHooksLog } from '../../io/store/files';

const help = `Usage: ${PRODUCT.cli} hook prepare-commit-msg MSGFILE [SOURCE [SHA]]
       ${PRODUCT.cli} hook commit-msg MSGFILE
       ${PRODUCT.cli} hook post-commit
       ${PRODUCT.cli} hook post-rewrite amend|rebase
       ${PRODUCT.cli} hook --pre-commit STAGE [MSGFILE]

What the managed git hooks call ('${PRODUCT.cli} hooks install' sets them up):
  prepare-commit-msg  writes the Assisted-by and AI-Attribution trailers for the staged changes
  commit-msg          takes our trailers out again when the person left the message empty (so git aborts)
  post-commit         writes the line-level record as a note on ${PRODUCT.notesRef}
  post-rewrite        after an amend, keeps only the new commit's record in its note (git appends the old one)

--pre-commit is for the pre-commit framework (.pre-commit-hooks.yaml), which passes a hook only the message
file: the message source and commit (prepare-commit-msg) and amend|rebase (post-rewrite) are read from its
PRE_COMMIT_COMMIT_MSG_SOURCE, PRE_COMMIT_COMMIT_OBJECT_NAME and PRE_COMMIT_REWRITE_COMMAND instead.

These never fail a commit: any problem of ours is logged (stderr and the hooks.log in the state folder) and
the commit goes through, with "AI-Attribution: v1 failed" when prepare-commit-msg could not attribute it (check
then asks a senior to look). Exit code: always 0.
`;

/** The commit id's place in a prepared note: split there, so post-commit (sh, in the launcher) can put it in. */
const HEAD_SLOT = '@@ai-provenance-head@@';

async function prepareCommitMsg(args: string[], hook: CommitHookContext, logger: Logger): Promise<void> {
  const { location, head, origin } = hook;
  const [messageFile, source, sha] = args;
  if (!messageFile) throw new UsageError('prepare-commit-msg needs the message file git passes');
  // A record left by a commit that was aborted must not be taken for this commit's.
  for (const f of [HOOK_MARKERS.pendingNote, HOOK_MARKERS.pendingNoteTail, HOOK_MARKERS.pendingTree])
    fs.rmSync(path.join(location.stateDir, f), { force: true });
  fs.rmSync(path.join(location.stateDir, HOOK_MARKERS.emptyMessage), { force: true });
  const root = location.root;
  const file = path.resolve(messageFile);
  const message = fs.readFileSync(file, 'utf8');
  // A senior's sign-off commit is empty and signed as written: it carries no attribution of its own.
  if (isReviewRecordMessage(message)) return void logger.debug('skipping a sign-off or changes-requested commit');
  // The questions for git do not depend on each other: ask them at once (each is a process start). The index's
  // tree too: post-commit checks that the commit made is the one prepared.
  const tree = writeTree(root, logger);
  tree.catch(() => undefined); // awaited below, when there is a note to write
  const [commitArgs, policy] = await Promise.all([gitCommitArgs(), readTrailerPolicy(root, logger, { head })]);
  const amend = commitArgs ? isAmend(commitArgs) : source === 'commit' && sha === 'HEAD';
  const base = amend
    ? head !== undefined && (await commitExists(root, `${head}^`))
      ? `${head}^`
      : await emptyTree(root)
    : (head ?? (await emptyTree(root)));

  // Agents' shell commands with no record yet, looked at before the spool: a record a hook adds meanwhile is
  // ingested below, and its snapshot (removed only after that record was written) is counted here.
  const before = await unfinishedShellFiles(location, logger);
  // What agents wrote through their hooks since the last look: into the store, so the staged files find it.
  const ingested = await ingestAgentSpool(location, logger);
  // A record that did not read leaves its files asking for review, from this commit on.
  const unfinished = await withLostRecords(location, before, ingested.lost, logger);
  // Lines of records not taken in would reach the commit as no one's: the commit goes on, marked for review.
  if (ingested.incomplete)
    throw new Error(
      `agent hook records could not all be taken in (${ingested.problems.join('; ')}); they wait for the next commit`,
    );
  const store = openRunsStore(location, logger);
  const history = await historyOf(root, origin, amend ? head : undefined, logger);
  const attribution = await stagedAttribution(store, root, base, logger, {
    history,
    unfinished: unfinished.files,
    ...(origin?.kind === 'merge' && !amend ? { otherParents: origin.heads } : {}),
  });
  if (origin?.kind === 'prepared') underClaimed(origin.message, attribution.attribution, logger);
  const { ai, mixed } = attribution.attribution;
  const hasAi =
    ai + mixed > 0 || (attribution.attribution.skipped ?? 0) > 0 || (attribution.attribution.deleted ?? 0) > 0;
  // An amend keeps the old message, a cherry-pick or rebase step the original's, a squash lists the squashed ones
  // (indented, so not trailers): an AI-Attribution already there must be replaced even when no AI line is left.
  const stale = (amend || origin !== undefined) && new RegExp(`^${AI_ATTRIBUTION}:`, 'mi').test(message);
  // With no message yet (-m, -F, -C give one), git opens the editor and aborts if the person leaves the message
  // empty, or leaves commit.template's text as it is. Our trailers must not turn that into a commit: commit-msg
  // compares what comes back with what the editor was given. (Under --no-verify commit-msg does not run; an
  // editor message left empty then commits with only our trailers. Dropping the trailers instead would lose them
  // from every --no-verify commit written in the editor, which is the common case.)
  const editorOpens = source === undefined || source === 'template';
  if (hasAi || policy.onEveryCommit || stale) {
    if (editorOpens) {
      await ensureDir(location.stateDir);
      fs.writeFileSync(path.join(location.stateDir, HOOK_MARKERS.emptyMessage), message);
    }
    // --no-divider: a "---" line in a message is not the start of a patch (git commit --trailer does the same);
    // without it the trailers land mid-message, where git's own trailer parsing (and check) cannot see them.
    const assisted = formatAssistedBy(attribution.agents).map(value => `${ASSISTED_BY}: ${value}`);
    const coAuthors = policy.coAuthoredBy
      ? formatCoAuthors(attribution.agents).map(value => `Co-authored-by: ${value}`)
      : [];
    await addTrailers(
      root,
      file,
      [
        { ifExists: 'addIfDifferent', trailers: [...assisted, ...coAuthors] },
        { ifExists: 'replace', trailers: [`${AI_ATTRIBUTION}: ${formatAiAttribution(attribution.attribution)}`] },
      ],
      logger,
    );
    if (editorOpens && !hasText(message, await commentCharOf(root))) {
      // The editor opens on an empty first line, with our trailers right below it: a subject typed there would run
      // into them, and git reads no trailers in a message's first paragraph. A blank line keeps them apart (git
      // drops leading blank lines, so a message left empty is still empty; commit-msg checks the rest).
      const written = fs.readFileSync(file, 'utf8');
      if (/^\n(?!\n)/.test(written)) fs.writeFileSync(file, `\n${written}`);
    }
  }
  if (!hasAi && !policy.onEveryCommit) return;
  const record = buildAgentTrace(attribution, {
    id: uuidv4(),
    timestamp: new Date().toISOString(),
    revision: HEAD_SLOT,
    toolVersion: toolVersion(),
  });
  const note = JSON.stringify(record, null, 1) + '\n';
  const slot = note.indexOf(HEAD_SLOT); // vcs.revision comes before any path, so the first one is it
  await ensureDir(location.stateDir);
  await writeFileAtomic(path.join(location.stateDir, HOOK_MARKERS.pendingTree), await tree);
  await writeFileAtomic(
    path.join(location.stateDir, HOOK_MARKERS.pendingNoteTail),
    note.slice(slot + HEAD_SLOT.length),
  );
  // Last: its presence is what tells post-commit there is a note to write.
  await writeFileAtomic(path.join(location.stateDir, HOOK_MARKERS.pendingNote), note.slice(0, slot));
}

/**
 * What earlier commits say about the text of a commit made from them (history-attribution.ts): the replayed commit
 * of a cherry-pick or rebase step, the squashed commits, both sides of a merge.
 */
async function historyOf(
  root: string,
  origin: CommitOrigin | undefined,
  amendedCommit: string | undefined,
  logger: Logger,
): Promise<History> {
  // An amend keeps the text of the commit it replaces (a rebase's squash step amends the commit it folds into).
  const amended = amendedCommit !== undefined ? [[amendedCommit]] : [];
  if (origin?.kind === 'pick') return loadHistory(root, [...amended, [origin.commit]], logger, { expectAll: true });
  // Each squashed commit on its own: a topic with merges in it has versions of a file that are not in one line.
  if (origin?.kind === 'squash')
    return loadHistory(root, [...amended, ...origin.commits.map(c => [c])], logger, { expectAll: true });
  if (origin?.kind === 'merge')
    return loadHistory(root, [...amended, ...(await mergeChains(root, ['HEAD', ...origin.heads], logger))], logger);
  return loadHistory(root, amended, logger);
}

/**
 * `cherry-pick -n` and `revert -n` leave the original's message (MERGE_MSG) and nothing that names the original:
 * when that message says the original had more AI lines than this commit is found to have, the difference cannot
 * be placed, and the commit says so (`skipped=`), so check asks a senior.
 */
function underClaimed(message: string, found: Attribution, logger: Logger): void {
  const claimed = [...message.matchAll(new RegExp(`^${AI_ATTRIBUTION}:\\s*(.*)$`, 'gim'))].map(m => {
    try {
      const a = parseAiAttribution(m[1]!);
      return a.ai + a.mixed + (a.deleted ?? 0) + (a.skipped ?? 0);
    } catch {
      return Infinity; // failed or unreadable: assume the worst
    }
  });
  const most = Math.max(0, ...claimed);
  if (most <= found.ai + found.mixed) return;
  logger.warn(
    `the message git prepared says ${most === Infinity ? 'the original had unknown' : most} AI lines; ${found.ai + found.mixed} found here: marked skipped`,
  );
  found.skipped = (found.skipped ?? 0) + 1;
}

/** A message's lines of the person's: not blank, not comments, not the scissors part, not our trailers. */
function personsText(message: string, commentChar: string): string {
  const scissors = message.search(new RegExp(`^${escapeRegExp(commentChar)} -+ >8 -+$`, 'm'));
  const body = scissors >= 0 ? message.slice(0, scissors) : message;
  return body
    .split('\n')
    .filter(line => line.trim() !== '' && !line.startsWith(commentChar) && !OUR_TRAILER.test(line))
    .join('\n');
}

function hasText(message: string, commentChar: string): boolean {
  return personsText(message, commentChar) !== '';
}

const OUR_TRAILER = new RegExp(`^(${ASSISTED_BY}|${AI_ATTRIBUTION}):`, 'i');

/**
 * git aborts a commit whose message is empty once comments are stripped. Our trailers must not turn "the
 * person left the message empty" into a commit: when nothing but our trailers is left, take them out.
 */
async function commitMsg(args: string[], location: RepositoryLocation, logger: Logger): Promise<void> {
  const [messageFile] = args;
  const marker = path.join(location.stateDir, HOOK_MARKERS.emptyMessage);
  let given: string | undefined;
  try {
    given = fs.readFileSync(marker, 'utf8');
  } catch {
    // no marker: nothing to check
  }
  fs.rmSync(marker, { force: true });
  if (!messageFile) throw new UsageError('commit-msg needs the message file git passes');
  const file = path.resolve(messageFile);
  const text = fs.readFileSync(file, 'utf8');
  const commentChar = await commentCharOf(location.root);
  const withoutOurs = text
    .split('\n')
    .filter(line => !OUR_TRAILER.test(line))
    .join('\n');
  const untouched = given !== undefined && personsText(text, commentChar) === personsText(given, commentChar);
  if (hasText(text, commentChar) && !untouched) {
    // The person wrote the message around our trailers: a subject typed on the empty first line runs into them,
    // and git reads no trailers in a message's first paragraph. Where git does not read ours, they go back in a
    // trailer block of their own.
    const ours = text.split('\n').filter(line => OUR_TRAILER.test(line));
    if (ours.length === 0) return;
    const read = new Set(await parseTrailers(location.root, text, logger));
    if (ours.every(line => read.has(line.trim()))) return;
    fs.writeFileSync(file, withoutOurs);
    await addTrailers(location.root, file, [{ ifExists: 'addIfDifferent', trailers: ours }], logger);
    logger.debug('our trailers were not where git reads trailers: put them back in a trailer block');
    return;
  }
  fs.writeFileSync(file, withoutOurs);
  logger.debug('the message came back empty or as given: removed our trailers so git aborts as it would without us');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces our trailer in the message with the failure value; a failure here is logged and nothing more. */
async function markFailed(location: RepositoryLocation, messageFile: string, logger: Logger): Promise<void> {
  try {
    const file = path.resolve(messageFile);
    const message = fs.readFileSync(file, 'utf8');
    if (isReviewRecordMessage(message)) return;
    await addTrailers(
      location.root,
      file,
      [{ ifExists: 'replace', trailers: [`${AI_ATTRIBUTION}: ${FAILED_ATTRIBUTION}`] }],
      logger,
    );
  } catch (error) {
    appendHooksLog(location, `prepare-commit-msg: could not mark the commit as unattributed either: ${String(error)}`);
  }
}

/** What the launcher does in sh for post-commit, for a CLI run directly (e.g. a hook that calls node itself). */
async function postCommit(location: RepositoryLocation, logger: Logger): Promise<void> {
  const file = (name: string): string => path.join(location.stateDir, name);
  let parts: [string, string, string];
  try {
    parts = [HOOK_MARKERS.pendingNote, HOOK_MARKERS.pendingNoteTail, HOOK_MARKERS.pendingTree].map(f =>
      fs.readFileSync(file(f), 'utf8'),
    ) as [string, string, string];
  } catch {
    return void logger.debug('no pending attribution (the commit was not prepared by us)');
  } finally {
    for (const f of [HOOK_MARKERS.pendingNote, HOOK_MARKERS.pendingNoteTail, HOOK_MARKERS.pendingTree])
      fs.rmSync(file(f), { force: true });
  }
  const [head, tail, preparedTree] = parts;
  const commit = await revParse(location.root, 'HEAD', logger);
  const tree = await revParse(location.root, 'HEAD^{tree}', logger);
  if (tree !== preparedTree)
    return void logger.debug(
      `the commit's tree ${tree} is not the one prepared (${preparedTree}); no note written for ${commit}`,
    );
  await writeNote(location.root, commit, head + commit + tail, logger);
}

/**
 * On amend, git runs post-commit (we write the new record) and then carries the old commit's note over,
 * appending it (notes.rewriteMode concatenate). Keep only the new commit's record, or none when it has none.
 * Rebased commits get a plain copy: their lines did not change.
 */
async function postRewrite(args: string[], location: RepositoryLocation, logger: Logger): Promise<void> {
  if (args[0] !== 'amend') return;
  const root = location.root;
  const note = await noteOf(root, 'HEAD', logger);
  if (note === undefined) return;
  const head = await revParse(root, 'HEAD', logger);
  const first = firstRecord(note);
  let revision: unknown;
  try {
    revision = (JSON.parse(first) as { vcs?: { revision?: unknown } }).vcs?.revision;
  } catch {
    return void logger.debug('the note on HEAD is not ours to tidy');
  }
  if (revision !== head) {
    // Only the amended-away commit's record came over: the new commit has no AI lines of its own.
    await removeNote(root, 'HEAD', logger);
  } else if (first !== note) {
    await writeNote(root, 'HEAD', first, logger);
  }
}

/**
 * The arguments git would have given a stage, from what the pre-commit framework gives it (docs/hook-managers.md):
 * the message file as its one filename, and the rest of git's arguments in its environment (set only when git
 * passed them). Without a message file (the config's `files`/`exclude` left it out) nothing is passed: the
 * source must never be taken for the file.
 */
function preCommitArgs(stage: string | undefined, filenames: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const [file] = filenames;
  if (stage === 'prepare-commit-msg') {
    if (file === undefined) return [];
    const source = env.PRE_COMMIT_COMMIT_MSG_SOURCE;
    const sha = env.PRE_COMMIT_COMMIT_OBJECT_NAME;
    return source ? (sha ? [file, source, sha] : [file, source]) : [file];
  }
  if (stage === 'commit-msg') return file === undefined ? [] : [file];
  if (stage === 'post-rewrite') return env.PRE_COMMIT_REWRITE_COMMAND ? [env.PRE_COMMIT_REWRITE_COMMAND] : [];
  return [];
}

export const hookCommand: Command = {
  name: 'hook',
  summary: 'what the managed git hooks run (prepare-commit-msg, commit-msg, post-commit, post-rewrite)',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const preCommit = args[0] === '--pre-commit';
    const name = preCommit ? args[1] : args[0];
    const rest = preCommit ? preCommitArgs(name, args.slice(2), process.env) : args.slice(1);
    if (name !== 'prepare-commit-msg' && name !== 'commit-msg' && name !== 'post-commit' && name !== 'post-rewrite') {
      throw new UsageError(
        `hook takes prepare-commit-msg, commit-msg, post-commit or post-rewrite, not ${name ?? 'nothing'}`,
      );
    }
    let location: RepositoryLocation | undefined;
    try {
      // pre-commit passes the message file as a file name, through the configuration's `files`/`exclude`: one that
      // leaves it out would leave the commit without trailers. git's own message file is where it always is.
      if (preCommit && (name === 'prepare-commit-msg' || name === 'commit-msg') && rest[0] === undefined) {
        const gitDir = path.dirname((await locateRepository(context.cwd)).stateDir);
        const merge = name === 'prepare-commit-msg' && process.env.PRE_COMMIT_COMMIT_MSG_SOURCE === 'merge';
        const file = path.join(gitDir, merge ? 'MERGE_MSG' : 'COMMIT_EDITMSG');
        if (fs.existsSync(file)) {
          context.logger.warn(`pre-commit passed no message file (its files/exclude patterns?): using ${file}`);
          rest.splice(0, 0, ...preCommitArgs(name, [file], process.env));
        }
      }
      if (name === 'prepare-commit-msg') {
        const hook = await commitHookContext(context.cwd);
        location = hook.location;
        await prepareCommitMsg(rest, hook, context.logger);
      } else {
        location = await locateRepository(context.cwd);
        if (name === 'commit-msg') await commitMsg(rest, location, context.logger);
        else if (name === 'post-commit') await postCommit(location, context.logger);
        else await postRewrite(rest, location, context.logger);
      }
    } catch (error) {
      // Never fail or block the commit because of us: say it once, log the details, let git go on. But never fail
      // open either: the message gets `AI-Attribution: v1 failed`, which makes `check` ask a senior to look.
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      appendHooksLog(location, `${name}: ${detail.replace(/\n/g, '\n  ')}`);
      if (name === 'prepare-commit-msg' && location && rest[0]) await markFailed(location, rest[0], context.logger);
      process.stderr.write(
        `${PRODUCT.cli}: ${name} could not record AI provenance (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); the commit goes on${name === 'prepare-commit-msg' ? `, marked ${AI_ATTRIBUTION}: ${FAILED_ATTRIBUTION} so that check asks a senior to look` : ''}.${location ? ` Details: ${path.join(location.stateDir, 'hooks.log')}` : ''}\n`,
      );
    }
    return ExitCode.Ok;
  },
};
