import type { AiKind, AiOrigin, Origin, Run, Tool } from './origin';
import type { RunList } from './runs';

/**
 * Line classes (docs/attribution.md).
 *
 * A line is its characters including its line break. Only `\n` ends a line: `\r\n` is one break (the `\r` is
 * whitespace inside the line) and a lone `\r` is an ordinary whitespace character, not a break. That is how git
 * counts lines, and the commit hook classifies the lines of git's diff, so the engine must count the same way.
 * VS Code would also treat a lone `\r` as a break, but it normalizes every line break of a document to the
 * file's EOL when it loads it, so a lone `\r` never reaches the engine from the editor.
 *
 * Classification: if the line has non-whitespace characters, classify those; otherwise all of them (so an AI
 * blank line is `a`). All AI -> `a`; some AI -> `m`; none AI but some unknown -> `u`; else `h`. A last line
 * without a line break counts; an empty text has no lines.
 *
 * Which AI stands for a line (its tool and kind in segments, its model for trailers): the (tool, kind) pair
 * owning the most classified characters on the line; on a tie, the pair whose first classified character comes
 * first. The representative origin (whose model the trailers use) is the pair's first origin on the line.
 */
export type LineClass = 'a' | 'm' | 'h' | 'u';

export interface LineReport {
  /** One class letter per line, in order. */
  classes: string;
  /** Per line: the AI origin standing for the line when its class is `a` or `m`, else undefined. */
  dominant: (AiOrigin | undefined)[];
}

export interface Segment {
  /** First line, 1-based. */
  start: number;
  /** Last line, 1-based, inclusive. */
  end: number;
  class: 'a' | 'm';
  tool: Tool;
  kind: AiKind;
}

/** The replay output of one file (docs/formats.md, replay traces); key order is the contract's. */
export interface FileSummary {
  lines: string;
  ai: number;
  mixed: number;
  human: number;
  unknown: number;
  segments: Segment[];
}

/** JavaScript's `\s`: ASCII whitespace plus the Unicode space separators, line separators and the BOM. */
export function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

interface Group {
  tool: Tool;
  kind: AiKind;
  origin: AiOrigin;
  significant: number;
  all: number;
  /** Order in which the pair's first significant (non-whitespace) character, and first character, appeared. */
  firstSignificant: number;
  firstAny: number;
}

/** Per-line counters, reset at each line break. Index 0: AI, 1: unknown, 2: human. */
class LineTally {
  readonly significant = [0, 0, 0];
  readonly all = [0, 0, 0];
  groups: Group[] = [];
  private order = 0;

  add(origin: Origin, significant: number, all: number): void {
    const k = origin === 'human' ? 2 : origin === 'unknown' ? 1 : 0;
    this.significant[k]! += significant;
    this.all[k]! += all;
    if (typeof origin === 'string') return;
    let g = this.groups.find(x => x.tool === origin.tool && x.kind === origin.kind);
    if (!g) {
      g = {
        tool: origin.tool,
        kind: origin.kind,
        origin,
        significant: 0,
        all: 0,
        firstSignificant: Infinity,
        firstAny: this.order++,
      };
      this.groups.push(g);
    }
    if (g.significant === 0 && significant > 0) g.firstSignificant = this.order++;
    g.significant += significant;
    g.all += all;
  }

  get empty(): boolean {
    return this.all[0]! + this.all[1]! + this.all[2]! === 0;
  }

  /** The class of the line and its representative AI origin; then resets for the next line. */
  finish(): [LineClass, AiOrigin | undefined] {
    const useSignificant = this.significant[0]! + this.significant[1]! + this.significant[2]! > 0;
    const counts = useSignificant ? this.significant : this.all;
    const ai = counts[0]!;
    const total = ai + counts[1]! + counts[2]!;
    const cls: LineClass = ai > 0 ? (ai === total ? 'a' : 'm') : counts[1]! > 0 ? 'u' : 'h';
    let dominant: AiOrigin | undefined;
    if (ai > 0) {
      let best: Group | undefined;
      for (const g of this.groups) {
        const n = useSignificant ? g.significant : g.all;
        const bestN = best ? (useSignificant ? best.significant : best.all) : -1;
        const earlier =
          best !== undefined &&
          (useSignificant ? g.firstSignificant < best.firstSignificant : g.firstAny < best.firstAny);
        if (n > bestN || (n === bestN && earlier)) best = g;
      }
      dominant = best?.origin;
    }
    this.significant.fill(0);
    this.all.fill(0);
    if (this.groups.length > 0) this.groups = [];
    this.order = 0;
    return [cls, dominant];
  }
}

/** Classifies every line of `text`, whose attribution is `runs` (lengths summing to the text's length). */
export function classifyLines(text: string, runs: readonly Run[] | RunList): LineReport {
  const classes: string[] = [];
  const dominant: (AiOrigin | undefined)[] = [];
  const tally = new LineTally();
  let pos = 0;
  // The next line break at or after `pos`, cached: searching from each run would rescan long lines once per run.
  let nextBreak = text.indexOf('\n');
  const visit = (length: number, origin: Origin): void => {
    const end = pos + length;
    while (pos < end) {
      if (nextBreak !== -1 && nextBreak < pos) nextBreak = text.indexOf('\n', pos);
      const breaks = nextBreak !== -1 && nextBreak < end;
      const pieceEnd = breaks ? nextBreak + 1 : end;
      if (breaks && tally.empty) {
        // The whole line is this run's: its class is the run's origin, whatever its characters (the common case; a
        // 20,000-line commit need not look at every character).
        classes.push(origin === 'human' ? 'h' : origin === 'unknown' ? 'u' : 'a');
        dominant.push(typeof origin === 'string' ? undefined : origin);
        pos = pieceEnd;
        continue;
      }
      let significant = 0;
      for (let i = pos; i < pieceEnd; i++) if (!isWhitespace(text.charCodeAt(i))) significant++;
      tally.add(origin, significant, pieceEnd - pos);
      pos = pieceEnd;
      if (breaks) {
        const [cls, d] = tally.finish();
        classes.push(cls);
        dominant.push(d);
      }
    }
  };
  if (Array.isArray(runs)) for (const r of runs as readonly Run[]) visit(r.length, r.origin);
  else (runs as RunList).forEach(visit);
  if (pos !== text.length) {
    throw new RangeError(
      `runs cover ${pos} code units but the text has ${text.length}: the attribution is out of step with the text`,
    );
  }
  if (!tally.empty) {
    const [cls, d] = tally.finish();
    classes.push(cls);
    dominant.push(d);
  }
  return { classes: classes.join(''), dominant };
}

/** Counts and segments of consecutive AI lines, as the replay output reports them. */
export function summarize(report: LineReport): FileSummary {
  const summary: FileSummary = { lines: report.classes, ai: 0, mixed: 0, human: 0, unknown: 0, segments: [] };
  let open: Segment | undefined;
  for (let i = 0; i < report.classes.length; i++) {
    const cls = report.classes[i] as LineClass;
    if (cls === 'a') summary.ai++;
    else if (cls === 'm') summary.mixed++;
    else if (cls === 'u') summary.unknown++;
    else summary.human++;
    const d = report.dominant[i];
    if ((cls === 'a' || cls === 'm') && d) {
      if (open && open.end === i && open.class === cls && open.tool === d.tool && open.kind === d.kind) {
        open.end = i + 1;
      } else {
        open = { start: i + 1, end: i + 1, class: cls, tool: d.tool, kind: d.kind };
        summary.segments.push(open);
      }
    } else {
      open = undefined;
    }
  }
  return summary;
}
