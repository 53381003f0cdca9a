import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { ingestAgentSpool } from '../../io/agents/ingest';
import { locateRepository, type RepositoryLocation } from '../../io/git/repository';
import { STATE_LAYOUT } from '../../io/store/state-file';
import { Disposable } from '../platform/lifecycle';
import type { ProvenanceTracker } from './tracker';

const DEBOUNCE_MS = 150;

/**
 * Agent hooks append records to the spool of their repository (docs/capture.md, signal 1). The extension
 * watches each workspace repository's spool and ingests at once: files open in the editor take the records in
 * memory (they label the text the file reload brings), closed files go to the store.
 */
export class AgentSpoolWatcher extends Disposable {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly tracker: ProvenanceTracker,
    private readonly logger: Logger,
  ) {
    super();
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.watchFolders()));
    void this.watchFolders();
  }

  private async watchFolders(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      let location: RepositoryLocation;
      try {
        location = await locateRepository(folder.uri.fsPath);
      } catch {
        continue;
      }
      if (this.watchers.has(location.stateDir) || this.isDisposed) continue;
      const dir = path.join(location.stateDir, STATE_LAYOUT.spool);
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const watcher = fs.watch(dir, () => this.schedule(location));
        // The folder can go away (the repository deleted): stop watching it, never throw in the extension host.
        watcher.on('error', error => {
          this.logger.warn(`stopped watching the agent hook spool ${dir}: ${error.message}`);
          watcher.close();
          this.watchers.delete(location.stateDir);
        });
        this.watchers.set(location.stateDir, watcher);
      } catch (error) {
        this.logger.warn(`cannot watch the agent hook spool ${dir}: ${(error as Error).message}`);
      }
      this.schedule(location); // records written while the editor was closed
    }
  }

  private schedule(location: RepositoryLocation): void {
    if (this.timers.has(location.stateDir)) return;
    this.timers.set(
      location.stateDir,
      setTimeout(() => {
        this.timers.delete(location.stateDir);
        void this.ingest(location);
      }, DEBOUNCE_MS),
    );
  }

  /** Ingests now (one run per repository at a time; a request during a run runs again after it). */
  async ingest(location: RepositoryLocation): Promise<void> {
    const previous = this.running.get(location.stateDir);
    const next = (previous ?? Promise.resolve()).then(async () => {
      const result = await ingestAgentSpool(location, this.logger, {
        engine: this.tracker.engine,
        enginePath: repoPath => path.join(location.root, ...repoPath.split('/')),
        onEngineCall: (call, files, at) => this.tracker.recording?.agentCall(call, files, at),
      });
      if (result.records > 0)
        this.logger.info(`ingested ${result.records} agent hook ${result.records === 1 ? 'record' : 'records'}`);
      for (const p of this.tracker.openPaths())
        if (p.startsWith(location.root + path.sep)) this.tracker.notifyChanged(p);
    });
    this.running.set(
      location.stateDir,
      next.catch(() => undefined),
    );
    await next;
  }

  /** Ingests every watched repository now (tests, and before previews that must see agent edits). */
  async ingestAll(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      try {
        await this.ingest(await locateRepository(folder.uri.fsPath));
      } catch {
        // not a repository
      }
    }
  }

  override dispose(): void {
    for (const w of this.watchers.values()) w.close();
    for (const t of this.timers.values()) clearTimeout(t);
    this.watchers.clear();
    super.dispose();
  }
}
