import {
  setsUpGate,
  showsAi,
  topFolder,
  type AuditExceptionCode,
  type AuditReport,
  type AuditedChange,
  type ChangeStatus,
} from './audit';
import type { CommitReview, Person, SignoffDefect } from './review';

/**
 * The audit as data (`ai-provenance audit --format json`, docs/formats.md): every format of the audit and the
 * extension's dashboard are drawn from this one document, so their numbers cannot differ.
 */

export interface AuditSignoff {
  commit: string;
  reviewer: Person | null;
  /** ISO time the sign-off commit was made. */
  signedAt: string | null;
  /** Its signature verified against the roster at the change's base, for the reviewer it names. */
  verified: boolean;
  fingerprint: string | null;
  /** Why it does not count (for the commits it lists); empty when it counts. */
  defects: SignoffDefect[];
  /** The commits of the change it counts for (by patch id). */
  covers: string[];
}

export interface AuditCommit {
  id: string;
  subject: string;
  author: Person;
  /** ISO author time (kept by rebase and squash tools: when the code was written). */
  authoredAt: string;
  /** `valid`, `none`, `failed` (the hook failed), `malformed`. */
  attribution: 'valid' | 'none' | 'failed' | 'malformed';
  added: number | null;
  aiLines: number | null;
  mixedLines: number | null;
  deletedByAi: number | null;
  /** `tool/kind` -> ai + mixed lines, from AI-Attribution. */
  tools: Record<string, number>;
  /** Assisted-by values (`Agent:model`). */
  assistedBy: string[];
  needsSignoff: boolean;
  needReason: string | null;
  state: string | null;
  signers: string[];
}

/** Line counts of a change, and of all of them (`totals`). */
export interface AuditLines {
  /** Added lines the AI-Attribution trailers counted (ai + mixed + human + unknown). */
  added: number;
  aiLines: number;
  mixedLines: number;
  deletedByAi: number;
  /** Lines added and removed on the branch (git's first-parent diff; binary files count none). */
  linesAdded: number;
  linesRemoved: number;
}

export interface AuditChange extends AuditLines {
  id: string;
  /** Its committer time, ISO. */
  landedAt: string;
  /** The committer time contradicts the history's order by more than a day: the change is listed in every period. */
  timeOutOfOrder: boolean;
  subject: string;
  author: Person;
  kind: AuditedChange['kind'];
  base: string | null;
  via: AuditedChange['via'];
  keptBranches: { refs: string[]; head: string; from: string }[];
  status: ChangeStatus;
  aiAssisted: boolean;
  needsSignoff: boolean;
  /**
   * Per top-level folder (`(root)` for files at the top): lines added (git's diff) and AI lines (ai + mixed, from the
   * line-level notes; AI lines of commits without a note are under `(no note)`).
   */
  folders: Record<string, { added: number; aiLines: number }>;
  tools: Record<string, number>;
  models: string[];
  commits: AuditCommit[];
  signoffs: AuditSignoff[];
  /** `detail`: the reason in words, as the CLI prints it. */
  exceptions: { code: AuditExceptionCode; commit: string | null; detail: string }[];
  policyProblem: string | null;
}

export interface AuditDocument {
  version: 1;
  branch: { rev: string; id: string };
  since: string | null;
  until: string | null;
  keptRefs: number;
  totals: AuditLines & {
    changes: number;
    aiAssisted: number;
    needSignoff: number;
    signedOff: number;
    exceptions: number;
  };
  changes: AuditChange[];
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

function needReasonText(c: CommitReview): string | null {
  const r = c.needReason;
  if (!r) return null;
  return r.code === 'unattested' ? `unattested:${r.why}` : r.code;
}

function commitOf(c: CommitReview): AuditCommit {
  const a = c.commit.attribution;
  const v = a.kind === 'valid' ? a.attribution : undefined;
  const tools: Record<string, number> = {};
  for (const t of v?.tools ?? []) tools[`${t.tool}/${t.kind}`] = (tools[`${t.tool}/${t.kind}`] ?? 0) + t.lines;
  return {
    id: c.commit.id,
    subject: c.commit.subject,
    author: c.commit.author,
    authoredAt: iso(c.commit.authorTime),
    attribution: a.kind,
    added: v?.added ?? null,
    aiLines: v?.ai ?? null,
    mixedLines: v?.mixed ?? null,
    deletedByAi: v ? (v.deleted ?? 0) : null,
    tools,
    assistedBy: [...c.commit.assistedBy],
    needsSignoff: c.needsSignoff,
    needReason: needReasonText(c),
    state: c.needsSignoff ? (c.state ?? null) : null,
    signers: c.signers.map(s => s.email),
  };
}

export function auditDocument(
  report: AuditReport,
  describe: (change: AuditedChange, exception: AuditedChange['exceptions'][number]) => string,
): AuditDocument {
  const changes = report.changes.map((ch): AuditChange => {
    const reviews = ch.reviews;
    const commitReviews = reviews.flatMap(r => r.commits);
    const commits = commitReviews.map(commitOf);
    const tools: Record<string, number> = {};
    for (const c of commits) for (const [k, n] of Object.entries(c.tools)) tools[k] = (tools[k] ?? 0) + n;
    const sum = (f: (c: AuditCommit) => number | null): number => commits.reduce((n, c) => n + (f(c) ?? 0), 0);
    const signoffs = reviews
      .flatMap(r => r.signoffs)
      // A request for changes is a signed record too, but no sign-off.
      .filter(s => s.covers.length > 0 && s.facts.parsed.verdict !== 'changes-requested')
      .map((s): AuditSignoff => ({
        commit: s.facts.id,
        reviewer: s.facts.parsed.reviewer ?? null,
        signedAt: report.signoffTimes[s.facts.id] ? iso(report.signoffTimes[s.facts.id]!) : null,
        verified: s.facts.signature.status === 'verified',
        fingerprint:
          s.facts.signature.status === 'verified' || s.facts.signature.status === 'unknown-signer'
            ? (s.facts.signature.fingerprint ?? null)
            : null,
        defects: [...s.defects],
        covers: [...s.covers],
      }));
    const folders: Record<string, { added: number; aiLines: number }> = {};
    const folder = (name: string): { added: number; aiLines: number } => (folders[name] ??= { added: 0, aiLines: 0 });
    for (const [name, added] of Object.entries(ch.diff.folders)) folder(name).added += added;
    for (const c of commitReviews) {
      const a = c.commit.attribution;
      const trailerAi = a.kind === 'valid' ? a.attribution.ai + a.attribution.mixed : 0;
      let noted = 0;
      for (const f of c.commit.aiPaths ?? []) {
        folder(topFolder(f.path)).aiLines += f.aiLines;
        noted += f.aiLines;
      }
      if (trailerAi > noted) folder('(no note)').aiLines += trailerAi - noted;
    }
    return {
      id: ch.id,
      landedAt: iso(ch.landedAt),
      timeOutOfOrder: ch.timeOutOfOrder === true,
      subject: ch.subject,
      author: ch.author,
      kind: ch.kind,
      base: ch.base ?? null,
      via: ch.via,
      keptBranches: ch.kept.map(k => ({ refs: k.refs, head: k.head, from: k.from })),
      status: ch.status,
      aiAssisted: commitReviews.some(showsAi),
      needsSignoff: commitReviews.some(c => c.needsSignoff && !setsUpGate(c)) || ch.exceptions.length > 0,
      added: sum(c => c.added),
      aiLines: sum(c => c.aiLines),
      mixedLines: sum(c => c.mixedLines),
      deletedByAi: sum(c => c.deletedByAi),
      linesAdded: ch.diff.added,
      linesRemoved: ch.diff.removed,
      folders,
      tools,
      models: [...new Set(commits.flatMap(c => c.assistedBy))].sort(),
      commits,
      signoffs,
      exceptions: ch.exceptions.map(e => ({ code: e.code, commit: e.commit ?? null, detail: describe(ch, e) })),
      policyProblem: ch.policyProblem ?? null,
    };
  });
  const total = (f: (c: AuditChange) => number): number => changes.reduce((n, c) => n + f(c), 0);
  return {
    version: 1,
    branch: report.branch,
    since: report.since !== undefined ? iso(report.since) : null,
    until: report.until !== undefined ? iso(report.until) : null,
    keptRefs: report.keptRefs,
    totals: {
      changes: changes.length,
      aiAssisted: changes.filter(c => c.aiAssisted).length,
      needSignoff: changes.filter(c => c.needsSignoff).length,
      signedOff: changes.filter(c => c.status === 'signed-off').length,
      exceptions: changes.filter(c => c.status === 'exception').length,
      added: total(c => c.added),
      aiLines: total(c => c.aiLines),
      mixedLines: total(c => c.mixedLines),
      deletedByAi: total(c => c.deletedByAi),
      linesAdded: total(c => c.linesAdded),
      linesRemoved: total(c => c.linesRemoved),
    },
    changes,
  };
}
