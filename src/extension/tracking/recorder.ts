import * as fs from 'node:fs';
import * as path from 'node:path';
import { mapCallPaths, type AgentCall, type AgentFileTexts } from '../../core/agents/call';
import type { AgentFileSnapshot } from '../../core/agents/record';
import type { Engine } from '../../core/attribution/engine';
import type { ProvenanceEvent } from '../../core/attribution/events';
import { isAi } from '../../core/attribution/origin';

/**
 * Writes the live session as a replay trace (docs/formats.md, replay traces): every normalized event the tracker applies,
 * paths relative to `root`. It starts with the files already tracked, as `open` events with `mark` events that
 * give back the AI origins they held, so replaying the file gives what the editor showed.
 */
export class TraceRecorder {
  private readonly fd: number;

  constructor(
    readonly file: string,
    private readonly root: string,
    engine: Engine,
    openPaths: readonly string[],
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
    this.line({ t: 'header', v: 1, root });
    for (const p of openPaths) this.snapshot(engine, p);
  }

  /** An `open` of the file's current text, then one `mark` per AI run. */
  snapshot(engine: Engine, absolute: string): void {
    const rel = this.relative(absolute);
    if (rel === undefined || !engine.has(absolute)) return;
    const text = engine.text(absolute);
    this.line({ t: 'open', path: rel, text, origin: 'unknown' });
    let offset = 0;
    const human: [number, number][] = [];
    for (const run of engine.runs(absolute)) {
      if (isAi(run.origin)) {
        const o = run.origin;
        this.line({
          t: 'mark',
          path: rel,
          offset,
          length: run.length,
          as: 'ai',
          tool: o.tool,
          kind: o.kind,
          ...(o.model !== undefined ? { model: o.model } : {}),
        });
      } else if (run.origin === 'human') {
        human.push([offset, run.length]);
      }
      offset += run.length;
    }
    for (const [at, length] of human) this.line({ t: 'mark', path: rel, offset: at, length, as: 'human' });
  }

  /** An agent hook's call as the editor applied it (engine paths), with the texts the hook saw: `agent-call`. */
  agentCall(call: AgentCall, files: ReadonlyMap<string, AgentFileTexts>, at: string): void {
    const mapped = mapCallPaths(call, p => this.relative(p));
    const snapshots: AgentFileSnapshot[] = [];
    for (const [p, texts] of files) {
      const rel = this.relative(p);
      if (rel !== undefined) snapshots.push({ path: rel, ...texts });
    }
    if (mapped.edits.length === 0 && snapshots.length === 0) return;
    this.line({ t: 'agent-call', at, call: mapped, files: snapshots });
  }

  write(event: ProvenanceEvent): void {
    const mapped = this.map(event);
    if (mapped) this.line(mapped);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private map(event: ProvenanceEvent): ProvenanceEvent | undefined {
    switch (event.t) {
      case 'header':
      case 'accept':
        return event;
      case 'agent':
      case 'agent-call':
        return event;
      case 'rename': {
        const from = this.relative(event.from);
        const to = this.relative(event.to);
        return from !== undefined && to !== undefined ? { ...event, from, to } : undefined;
      }
      default: {
        const rel = this.relative(event.path);
        return rel === undefined ? undefined : { ...event, path: rel };
      }
    }
  }

  private relative(absolute: string): string | undefined {
    const rel = path.relative(this.root, absolute).split(path.sep).join('/');
    return rel.startsWith('../') || path.isAbsolute(rel) ? undefined : rel;
  }

  private line(value: object): void {
    fs.writeSync(this.fd, JSON.stringify(value) + '\n');
  }
}
