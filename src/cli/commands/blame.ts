import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAgentTrace, type NoteLine } from '../../core/formats/git-note';
import type { LineClass } from '../../core/attribution/lines';
import { classifyLines, type LineReport } from '../../core/attribution/lines';
import { PRODUCT } from '../../core/product';
import { decodeRuns } from '../../core/formats/stored-runs';
import { AI_ATTRIBUTION, parseAiAttribution } from '../../core/formats/trailers';
import { blameFile, trailersOf } from '../../io/git/queries';
import { readNotes } from '../../io/git/notes';
import { openRunsStore } from '../../io/attribution/runs-store';
import { locateRepository } from '../../io/git/repository';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit';

const help = `Usage: ${PRODUCT.cli} blame FILE [--json]

Who wrote each line of FILE as it is in the working tree: its class (a ai, m mixed, h human, u unknown),
tool, kind and model for AI lines, and the commit that last touched it.

Where the answer comes from, best first: the line-level note of the commit (${PRODUCT.notesRef}); for lines
not committed yet, the editor's record of the working file; for a commit without a note, its AI-Attribution
trailer (class ? : the commit has AI lines but no line-level record says which); else unknown.
`;

interface BlameLine {
  line: number;
  class: LineClass | '?';
  commit: string | null;
  tool?: string;
  kind?: string;
  model?: string;
  text: string;
}

export const blameCommand: Command = {
  name: 'blame',
  summary: 'per line of a file: ai, mixed, human or unknown, with tool, kind, model and commit',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const json = args.includes('--json');
    const files = args.filter(a => a !== '--json');
    const bad = files.find(a => a.startsWith('-'));
    if (bad) throw new UsageError(`unknown option ${bad}; usage: ${PRODUCT.cli} blame FILE [--json]`);
    if (files.length !== 1) throw new UsageError(`blame takes one FILE; usage: ${PRODUCT.cli} blame FILE [--json]`);
    const location = await locateRepository(context.cwd);
    const absolute = path.resolve(context.cwd, files[0]!);
    const repoPath = path.relative(location.root, absolute).split(path.sep).join('/');
    if (repoPath.startsWith('..') || path.isAbsolute(repoPath))
      throw new UsageError(`${files[0]} is outside the repository at ${location.root}`);
    if (!fs.existsSync(absolute)) throw new UsageError(`${files[0]}: no such file in the working tree`);

    let porcelain = await blameFile(location.root, repoPath, context.logger);
    if (!porcelain) {
      // A file git does not track yet: every line is uncommitted.
      const text = fs.readFileSync(absolute, 'utf8');
      const all = text === '' ? [] : text.replace(/\n$/, '').split('\n');
      porcelain = all.map((t, i) => ({
        commit: '0'.repeat(40),
        origLine: i + 1,
        finalLine: i + 1,
        origPath: repoPath,
        text: t,
      }));
    }

    const commits = [...new Set(porcelain.map(p => p.commit).filter(c => !/^0+$/.test(c)))];
    const notes = await readNotes(location.root, commits);
    const trailerInfo = new Map<string, string | undefined>();
    const noteLines = new Map<string, Map<string, Map<number, NoteLine>>>();
    for (const [commit, note] of notes) {
      try {
        noteLines.set(commit, parseAgentTrace(note));
      } catch (error) {
        context.logger.warn(
          `the note on ${commit.slice(0, 12)} is unreadable (${(error as Error).message}); using its trailers`,
        );
      }
    }
    // One git process for all the commits without a note (one each was most of blame's time on a long history).
    const trailers = await trailersOf(
      location.root,
      commits.filter(c => !noteLines.has(c)),
      AI_ATTRIBUTION,
      context.logger,
    );
    for (const [commit, value] of trailers) trailerInfo.set(commit, value);

    // Uncommitted lines: the editor's record of the working file, if it matches the file as it is now.
    let working: LineReport | undefined;
    if (porcelain.some(p => /^0+$/.test(p.commit))) {
      const store = openRunsStore(location, context.logger);
      const content = fs.readFileSync(absolute);
      const record = await store.readRunsForText(repoPath, content);
      if (record) {
        const text = content.toString('utf8');
        working = classifyLines(text, decodeRuns(record.runs, text.length));
      }
    }

    const out: BlameLine[] = porcelain.map(p => {
      const uncommitted = /^0+$/.test(p.commit);
      const base = { line: p.finalLine, commit: uncommitted ? null : p.commit, text: p.text };
      if (uncommitted) {
        if (!working) return { ...base, class: 'u' };
        const cls = working.classes[p.finalLine - 1] as LineClass;
        const d = working.dominant[p.finalLine - 1];
        return {
          ...base,
          class: cls,
          ...(d ? { tool: d.tool, kind: d.kind, ...(d.model ? { model: d.model } : {}) } : {}),
        };
      }
      const note = noteLines.get(p.commit);
      if (note) {
        const info = note.get(p.origPath)?.get(p.origLine);
        if (!info) return { ...base, class: 'h' };
        return {
          ...base,
          class: info.cls,
          ...(info.tool ? { tool: info.tool } : {}),
          ...(info.kind ? { kind: info.kind } : {}),
          ...(info.model ? { model: info.model } : {}),
        };
      }
      const trailer = trailerInfo.get(p.commit);
      if (trailer) {
        try {
          const a = parseAiAttribution(trailer);
          if (a.ai + a.mixed > 0)
            return { ...base, class: '?', tool: a.tools.map(t => `${t.tool}/${t.kind}`).join(',') };
          return { ...base, class: a.unknown > 0 ? 'u' : 'h' };
        } catch {
          return { ...base, class: 'u' };
        }
      }
      return { ...base, class: 'u' };
    });

    if (json) {
      context.stdout.write(JSON.stringify({ file: repoPath, lines: out }, null, 2) + '\n');
    } else {
      const width = String(out.length).length;
      for (const l of out) {
        const who = l.tool ? `${l.tool}${l.kind ? `/${l.kind}` : ''}${l.model ? ` ${l.model}` : ''}` : '';
        context.stdout.write(
          `${String(l.line).padStart(width)} ${l.class} ${(l.commit ?? 'uncommitted').slice(0, 12).padEnd(12)} ${who.padEnd(28).slice(0, 28)} ${l.text}\n`,
        );
      }
    }
    return ExitCode.Ok;
  },
};
