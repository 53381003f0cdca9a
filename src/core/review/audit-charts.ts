import type { AuditDocument } from './audit-document';

/**
 * The series the audit's plots draw (the HTML report and the extension's dashboard), computed from the audit
 * document alone: the page shows the document's numbers, grouped.
 */

export interface AuditCharts {
  /** Changes are grouped by the week (Monday, UTC) or month they landed in: weeks for a span up to 26 weeks. */
  bucket: 'week' | 'month';
  /** `YYYY-MM-DD` (a week's Monday) or `YYYY-MM`, oldest first, every period of the span (empty ones too). */
  periods: string[];
  /** Per period: lines added on the branch (git), AI lines (ai + mixed, trailers), the AI share in percent. */
  share: { added: number[]; aiLines: number[]; percent: number[] };
  /** Per period: AI-assisted changes by outcome. */
  coverage: { signedOff: number[]; notNeeded: number[]; exceptions: number[] };
  /** AI lines by `tool/kind`, largest first. */
  byTool: { label: string; lines: number }[];
  /** AI lines by model (`Assisted-by`), largest first; a commit naming several or none has its own label. */
  byModel: { label: string; lines: number }[];
  /** Per top-level folder: lines added and AI lines, by lines added, largest first. */
  byFolder: { label: string; added: number; aiLines: number }[];
  /** Signed-off AI commits by the time from the commit (author time) to its first counting sign-off. */
  signoffDelay: { labels: string[]; counts: number[] };
  /** Per senior: AI commits and changes their sign-offs count for, most first. */
  reviewerLoad: { label: string; commits: number; changes: number }[];
}

export const SEVERAL_MODELS = '(several models)';
export const NO_MODEL = '(no model named)';
export const DELAY_LABELS = ['< 1 hour', '1-4 hours', '4-24 hours', '1-3 days', '3-7 days', '> 7 days'];
const DELAY_LIMITS_HOURS = [1, 4, 24, 72, 168];

function weekOf(iso: string): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7; // days since Monday
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

function periodsBetween(first: string, last: string, bucket: 'week' | 'month'): string[] {
  const out: string[] = [];
  if (bucket === 'week') {
    for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 7 * 86_400_000)
      out.push(new Date(t).toISOString().slice(0, 10));
  } else {
    let [y, m] = first.split('-').map(Number) as [number, number];
    const [ly, lm] = last.split('-').map(Number) as [number, number];
    while (y < ly || (y === ly && m <= lm)) {
      out.push(`${y}-${String(m).padStart(2, '0')}`);
      m++;
      if (m > 12) {
        m = 1;
        y++;
      }
    }
  }
  return out;
}

function sorted<T extends { label: string }>(entries: T[], by: (t: T) => number): T[] {
  return entries.sort((a, b) => by(b) - by(a) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

export function auditCharts(doc: AuditDocument): AuditCharts {
  const changes = doc.changes;
  const span = changes.length > 0 ? Date.parse(changes.at(-1)!.landedAt) - Date.parse(changes[0]!.landedAt) : 0;
  const bucket: 'week' | 'month' = span <= 26 * 7 * 86_400_000 ? 'week' : 'month';
  const periodOf = (iso: string): string => (bucket === 'week' ? weekOf(iso) : iso.slice(0, 7));
  const landed = changes.map(c => periodOf(c.landedAt)).sort();
  const periods = landed.length > 0 ? periodsBetween(landed[0]!, landed.at(-1)!, bucket) : [];
  const index = new Map(periods.map((p, i) => [p, i] as const));
  const zeros = (): number[] => periods.map(() => 0);
  const share = { added: zeros(), aiLines: zeros(), percent: zeros() };
  const coverage = { signedOff: zeros(), notNeeded: zeros(), exceptions: zeros() };
  const tools = new Map<string, number>();
  const models = new Map<string, number>();
  const folders = new Map<string, { added: number; aiLines: number }>();
  const delays = DELAY_LABELS.map(() => 0);
  const load = new Map<string, { commits: Set<string>; changes: Set<string> }>();

  for (const c of changes) {
    const i = index.get(periodOf(c.landedAt))!;
    share.added[i]! += c.linesAdded;
    share.aiLines[i]! += c.aiLines + c.mixedLines;
    if (c.aiAssisted || c.status === 'exception') {
      if (c.status === 'exception') coverage.exceptions[i]!++;
      else if (c.status === 'signed-off') coverage.signedOff[i]!++;
      else coverage.notNeeded[i]!++;
    }
    for (const [k, n] of Object.entries(c.tools)) tools.set(k, (tools.get(k) ?? 0) + n);
    for (const [name, f] of Object.entries(c.folders)) {
      const entry = folders.get(name) ?? { added: 0, aiLines: 0 };
      entry.added += f.added;
      entry.aiLines += f.aiLines;
      folders.set(name, entry);
    }
    const counting = c.signoffs.filter(s => s.defects.length === 0 && s.reviewer !== null);
    for (const commit of c.commits) {
      const lines = (commit.aiLines ?? 0) + (commit.mixedLines ?? 0);
      if (lines > 0) {
        const names = [...new Set(commit.assistedBy)];
        const model = names.length === 1 ? names[0]! : names.length === 0 ? NO_MODEL : SEVERAL_MODELS;
        models.set(model, (models.get(model) ?? 0) + lines);
      }
      if (commit.state !== 'signed-off') continue;
      const times = counting
        .filter(s => s.covers.includes(commit.id) && s.signedAt !== null)
        .map(s => Date.parse(s.signedAt!));
      if (times.length > 0) {
        const hours = Math.max(0, (Math.min(...times) - Date.parse(commit.authoredAt)) / 3_600_000);
        const at = DELAY_LIMITS_HOURS.findIndex(limit => hours < limit);
        delays[at < 0 ? DELAY_LABELS.length - 1 : at]!++;
      }
    }
    for (const s of counting) {
      const entry = load.get(s.reviewer!.email.toLowerCase()) ?? { commits: new Set(), changes: new Set() };
      for (const id of s.covers) entry.commits.add(id);
      entry.changes.add(c.id);
      load.set(s.reviewer!.email.toLowerCase(), entry);
    }
  }
  share.percent = share.added.map((added, i) => (added > 0 ? Math.round((1000 * share.aiLines[i]!) / added) / 10 : 0));
  return {
    bucket,
    periods,
    share,
    coverage,
    byTool: sorted(
      [...tools].map(([label, lines]) => ({ label, lines })),
      t => t.lines,
    ),
    byModel: sorted(
      [...models].map(([label, lines]) => ({ label, lines })),
      t => t.lines,
    ),
    byFolder: sorted(
      [...folders].map(([label, f]) => ({ label, ...f })),
      f => f.added,
    ),
    signoffDelay: { labels: DELAY_LABELS, counts: delays },
    reviewerLoad: sorted(
      [...load].map(([label, l]) => ({ label, commits: l.commits.size, changes: l.changes.size })),
      l => l.commits,
    ),
  };
}
