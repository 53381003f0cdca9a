// The CI report formats of `check` (docs/formats.md, "check's CI reports"): GitLab Code Quality, JUnit XML and
// SARIF 2.1.0, as pure functions of a branch review. `check --format` prints one; `check --output FORMAT=FILE`
// writes them to files. The words (states, reasons, notes) are the text report's, from review-text.ts.
import { createHash } from 'node:crypto';
import { PRODUCT } from '../core/product';
import { isDone, type CommitReview, type ReviewNote } from '../core/review/review';
import { printable } from '../core/review/packet';
import type { BranchReview } from '../io/review/branch-review';
import { ROSTER_PATH } from '../io/review/base-policy';
import { openStates, renderText, toJson } from './check-report';
import { aiLinesText, noteText, short, stateReason } from './review-text';

/** The formats `--output FORMAT=FILE` writes. */
export const REPORT_FORMATS = ['json', 'gitlab', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What a report says about the run itself, beside the review. */
export interface ReportRun {
  /** The tool's version (SARIF's tool.driver.version). */
  readonly version: string;
  /** When the check started (JUnit's timestamp). */
  readonly startedAt: Date;
  /** How long the check took, in seconds (JUnit's time). */
  readonly seconds: number;
  /** The machine's name (JUnit's hostname). */
  readonly hostname: string;
}

export function renderReport(format: ReportFormat, review: BranchReview, run: ReportRun): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toJson(review), null, 2)}\n`;
    case 'gitlab':
      return renderGitlab(review);
    case 'junit':
      return renderJunit(review, run);
    case 'sarif':
      return renderSarif(review, run);
  }
}

/**
 * Text as a person can read it safely in any viewer: the project's `printable` (control, bidirectional and
 * invisible characters shown as their codes, line breaks as spaces), and also what XML 1.0 cannot carry at all
 * (lone surrogates, U+FFFE, U+FFFF) shown as `\uXXXX`.
 */
export function visible(text: string): string {
  return printable(text).replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** One rule per open state and per note: GitLab's check_name and SARIF's ruleId. */
type OpenState = 'pending' | 'requested' | 'stale' | 'unverified' | 'changes-requested';
const OPEN_STATES: readonly OpenState[] = ['pending', 'requested', 'stale', 'unverified', 'changes-requested'];
type NoteCode = ReviewNote['code'];
const NOTE_CODES: readonly NoteCode[] = ['no-roster', 'empty-roster', 'signers-exceed-roster'];

function ruleId(kind: OpenState | NoteCode): string {
  return `ai-signoff/${kind}`;
}

const SIGN_OFF_HELP = `A senior listed in ${ROSTER_PATH} at the base reviews the commit and signs it off with '${PRODUCT.cli} sign-off --base BASE' (an empty commit on the branch, signed with their SSH key).`;

const RULES: Record<OpenState | NoteCode, { name: string; short: string; full: string; help: string }> = {
  pending: {
    name: 'AiSignoffPending',
    short: 'AI-assisted commit without a sign-off',
    full: "An AI-assisted commit that the repository's policy says needs a senior engineer's sign-off has none.",
    help: `${SIGN_OFF_HELP} Ask for one with '${PRODUCT.cli} request-review --to EMAIL'.`,
  },
  requested: {
    name: 'AiSignoffRequested',
    short: 'AI-assisted commit: review requested, not signed off yet',
    full: 'A review of this AI-assisted commit was requested from a senior, who has not signed it off yet.',
    help: SIGN_OFF_HELP,
  },
  stale: {
    name: 'AiSignoffStale',
    short: 'AI-assisted commit changed after its sign-off',
    full: 'A valid sign-off reviewed this commit, but its patch (git patch-id --verbatim) has changed since: what would be merged is not what was reviewed.',
    help: `${SIGN_OFF_HELP} The senior signs off the commit as it is now.`,
  },
  unverified: {
    name: 'AiSignoffUnverified',
    short: 'AI-assisted commit whose sign-off does not count',
    full: "A sign-off names this commit but does not count: it is not signed, its signature does not verify, its key is not listed for its Reviewed-by address in the base's roster, it is malformed, not empty or a merge, it is by the commit's own author, or the base's .ai-provenance/reviewers names other owners for the commit's files.",
    help: `The message names the defect. ${SIGN_OFF_HELP}`,
  },
  'changes-requested': {
    name: 'AiSignoffChangesRequested',
    short: 'AI-assisted commit: a senior requested changes',
    full: 'A senior reviewed this AI-assisted commit and requested changes with a signed record (AI changes requested) that lists its current patch: it is not signed off.',
    help: `The record's message says what to change. Change the code (a new commit, or an amended one), then ask for review again; ${SIGN_OFF_HELP}`,
  },
  'no-roster': {
    name: 'AiSignoffNoRoster',
    short: 'The base has no roster of seniors',
    full: `The base revision has no ${ROSTER_PATH}, so nothing can be signed off.`,
    help: `List the seniors' SSH keys in ${ROSTER_PATH} on the base branch (OpenSSH allowed-signers format: "<email> <key-type> <key>").`,
  },
  'empty-roster': {
    name: 'AiSignoffEmptyRoster',
    short: 'The roster of seniors lists nobody',
    full: `${ROSTER_PATH} at the base lists no key, so nothing can be signed off.`,
    help: `List the seniors' SSH keys in ${ROSTER_PATH} on the base branch.`,
  },
  'signers-exceed-roster': {
    name: 'AiSignoffSignersExceedRoster',
    short: 'High-risk commits need more seniors than the roster has',
    full: `The policy's highRiskSigners is larger than the number of keys in ${ROSTER_PATH} at the base, so a high-risk commit cannot be signed off.`,
    help: `Add seniors to ${ROSTER_PATH}, or lower signoff.highRiskSigners in .ai-provenance/policy.json, on the base branch.`,
  },
};

/** Where a finding points: a file of the commit and, when the review knows one, a line in it. */
interface Place {
  /** Repository-relative, forward slashes; shown visibly when the real name holds control or invisible characters. */
  readonly path: string;
  /** 1-based, in the file as the commit wrote it; undefined when not known. */
  readonly line?: number;
  /** Said in the finding's text when the place is not simply the commit's AI-written file. */
  readonly remark?: string;
}

function placeOf(c: CommitReview): Place {
  const touched = c.commit.paths;
  // The notes are written by the branch's author: a noted file counts only when git says the commit touches it.
  const noted = touched
    ? c.commit.aiPaths?.find(p => p.aiLines > 0 && (p.ranges?.length ?? 0) > 0 && touched.includes(p.path))
    : undefined;
  const file = noted?.path ?? c.highRiskPaths.find(p => touched?.includes(p)) ?? touched?.[0];
  if (file === undefined)
    return {
      path: ROSTER_PATH,
      remark: `the commit changes no file, so this points at ${ROSTER_PATH}, the roster of the seniors who sign off`,
    };
  const shown = visible(file);
  const line = noted?.ranges?.[0]?.start;
  return {
    path: shown,
    ...(line !== undefined ? { line } : {}),
    ...(shown !== file ? { remark: 'its file name holds control or invisible characters, shown as their codes' } : {}),
  };
}

/** The one-line finding for an open commit, the same in every format. */
function findingText(c: CommitReview, review: BranchReview, place: Place): string {
  const lines = `${aiLinesText(c)}${c.highRisk ? ', high-risk' : ''}`;
  const where = place.line !== undefined ? ` First AI line: ${place.path}:${place.line} (as the commit wrote it).` : '';
  const remark = place.remark ? ` Note: ${place.remark}.` : '';
  return visible(
    `AI sign-off ${c.state}: ${short(c.commit.id)} ${c.commit.subject} (${lines}): ${stateReason(c, review.report.signoffs)}.${where}${remark}`,
  );
}

function noteFinding(note: ReviewNote, review: BranchReview): string {
  return visible(noteText(note, review.base.rev));
}

/** Stable for the same finding across pipelines and clones; different for different commits and notes. */
function fingerprint(...parts: string[]): string {
  return createHash('sha256')
    .update(['ai-provenance', ...parts].join('\0'))
    .digest('hex');
}

function commitFingerprint(c: CommitReview): string {
  return fingerprint(ruleId(c.state as OpenState), c.commit.id);
}

function noteFingerprint(note: ReviewNote, review: BranchReview): string {
  return fingerprint(ruleId(note.code), review.base.rev, JSON.stringify(note));
}

/**
 * GitLab Code Quality (the Code Climate subset GitLab reads): one issue per open AI-assisted commit, `major`
 * (`critical` when high-risk), and the review's notes as `info`; `[]` when nothing is open and there is no note.
 */
export function renderGitlab(review: BranchReview): string {
  const issues: unknown[] = [];
  for (const c of openStates(review)) {
    const place = placeOf(c);
    issues.push({
      description: findingText(c, review, place),
      check_name: ruleId(c.state as OpenState),
      fingerprint: commitFingerprint(c),
      severity: c.highRisk ? 'critical' : 'major',
      location: { path: place.path, lines: { begin: place.line ?? 1 } },
    });
  }
  for (const note of review.report.notes) {
    issues.push({
      description: noteFinding(note, review),
      check_name: ruleId(note.code),
      fingerprint: noteFingerprint(note, review),
      severity: 'info',
      location: { path: ROSTER_PATH, lines: { begin: 1 } },
    });
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** One line of text for an XML attribute or element: visible, escaped, tabs as references. */
function xml(text: string): string {
  return visible(text)
    .replace(/[&<>"']/g, c => XML_ENTITIES[c]!)
    .replace(/\t/g, '&#9;');
}

/** Several lines of text for an XML element. */
function xmlLines(text: string): string {
  return text.split('\n').map(xml).join('\n');
}

const NOT_NEEDED_SKIPPED: Partial<Record<NonNullable<CommitReview['notNeeded']>, string>> = {
  'below-threshold': "its AI lines are below the policy's minAiLines",
  ignored: "every path it touches matches the policy's ignore globs",
};

/**
 * JUnit XML, valid against the Apache Ant JUnit schema: one test case per AI-assisted commit that needs a
 * sign-off (a failure of type STATE when it has none), and one skipped case per AI-assisted commit the policy lets
 * through (below minAiLines, or ignored paths only). The text report is the suite's system-out.
 */
export function renderJunit(review: BranchReview, run: ReportRun): string {
  const { report } = review;
  const signoffs = report.signoffs;
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const c of report.commits) {
    const name = `${short(c.commit.id)} ${c.commit.subject}`;
    const open = `    <testcase classname="ai-signoff" name="${xml(name)}" time="0"`;
    if (c.needsSignoff && isDone(c.state)) {
      cases.push(`${open}/>`);
    } else if (c.needsSignoff) {
      failures++;
      const place = placeOf(c);
      const details = [
        `commit ${c.commit.id}`,
        `patch id ${c.commit.patchId ?? '(none)'}`,
        `author ${c.commit.author.name} <${c.commit.author.email}>`,
        `state ${c.state}: ${stateReason(c, signoffs)}`,
        `AI lines: ${aiLinesText(c)}${c.highRisk ? ', high-risk' : ''}`,
        `file ${place.path}${place.line !== undefined ? `:${place.line}` : ''}${place.remark ? ` (${place.remark})` : ''}`,
        `${RULES[c.state as OpenState].help.replace('BASE', review.base.rev)}`,
      ].join('\n');
      cases.push(
        `${open}>\n      <failure message="${xml(`${c.state}: ${stateReason(c, signoffs)}`)}" type="${xml(c.state!)}">${xmlLines(details)}</failure>\n    </testcase>`,
      );
    } else if (c.notNeeded && NOT_NEEDED_SKIPPED[c.notNeeded]) {
      skipped++;
      cases.push(
        `${open}>\n      <skipped message="${xml(`no sign-off needed: ${NOT_NEEDED_SKIPPED[c.notNeeded]}`)}"/>\n    </testcase>`,
      );
    }
  }
  const timestamp = run.startedAt.toISOString().slice(0, 19);
  const attributes = [
    `name="${PRODUCT.cli} check"`,
    `package="ai-signoff"`,
    `id="0"`,
    `tests="${cases.length}"`,
    `failures="${failures}"`,
    `errors="0"`,
    `skipped="${skipped}"`,
    `time="${Math.max(0, run.seconds).toFixed(3)}"`,
    `timestamp="${timestamp}"`,
    `hostname="${xml(run.hostname) || 'localhost'}"`,
  ];
  const properties = [
    ['base', review.base.rev],
    ['base.commit', review.base.id],
    ['head', review.head.rev],
    ['head.commit', review.head.id],
    ['policy', review.policySource === 'base' ? `${PRODUCT.policyDir}/policy.json at the base` : 'defaults'],
  ].map(([name, value]) => `      <property name="${xml(name!)}" value="${xml(value!)}"/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites>',
    `  <testsuite ${attributes.join(' ')}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases,
    `    <system-out>${xmlLines(renderText(review))}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * A repository path as a relative URI reference: each segment percent-encoded, forward slashes. Places are
 * `visible`, so they hold no lone surrogate (encodeURIComponent would throw).
 */
function pathUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/**
 * SARIF 2.1.0 (GitHub code scanning and other viewers): one rule per open state and note, one `error` result per
 * open AI-assisted commit and one `warning` per note, located in the repository (`%SRCROOT%`); `results: []`
 * when nothing is open and there is no note.
 */
export function renderSarif(review: BranchReview, run: ReportRun): string {
  const kinds = [...OPEN_STATES, ...NOTE_CODES];
  const rules = kinds.map(kind => {
    const rule = RULES[kind];
    return {
      id: ruleId(kind),
      name: rule.name,
      shortDescription: { text: rule.short },
      fullDescription: { text: rule.full },
      help: { text: rule.help },
      defaultConfiguration: { level: (NOTE_CODES as readonly string[]).includes(kind) ? 'warning' : 'error' },
      properties: { tags: ['ai-provenance', 'ai-signoff'] },
    };
  });
  const location = (place: Place): unknown => ({
    physicalLocation: {
      artifactLocation: { uri: pathUri(place.path), uriBaseId: '%SRCROOT%' },
      ...(place.line !== undefined ? { region: { startLine: place.line } } : {}),
    },
  });
  const results: unknown[] = [];
  for (const c of openStates(review)) {
    const state = c.state as OpenState;
    const place = placeOf(c);
    results.push({
      ruleId: ruleId(state),
      ruleIndex: kinds.indexOf(state),
      level: 'error',
      message: { text: findingText(c, review, place) },
      locations: [location(place)],
      partialFingerprints: { 'aiProvenanceFinding/v1': commitFingerprint(c) },
      properties: {
        commit: c.commit.id,
        patchId: c.commit.patchId ?? null,
        state,
        highRisk: c.highRisk,
        aiLines: c.aiLines ?? null,
        requiredSigners: c.requiredSigners,
        signers: c.signers.map(s => s.email),
        ...(c.routing ? { owners: c.routing.seniors, ownersEnforced: c.routing.enforced } : {}),
      },
    });
  }
  for (const note of review.report.notes) {
    results.push({
      ruleId: ruleId(note.code),
      ruleIndex: kinds.indexOf(note.code),
      level: 'warning',
      message: { text: noteFinding(note, review) },
      locations: [location({ path: ROSTER_PATH })],
      partialFingerprints: { 'aiProvenanceFinding/v1': noteFingerprint(note, review) },
      properties: { note },
    });
  }
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: PRODUCT.displayName,
            informationUri: PRODUCT.homepage,
            version: run.version,
            rules,
          },
        },
        results,
        properties: {
          ok: review.report.ok,
          base: { rev: review.base.rev, commit: review.base.id },
          head: { rev: review.head.rev, commit: review.head.id },
        },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
