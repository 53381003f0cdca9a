import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { openRunsStore, type RunsStore } from '../../io/attribution/runs-store';
import { locateRepository, type RepositoryLocation } from '../../io/git/repository';

export interface FileRepository {
  location: RepositoryLocation;
  store: RunsStore;
  /** The file's path inside the repository, with `/` separators. */
  repoPath: string;
}

/**
 * Which repository a file belongs to, and that repository's store. Looked up once per folder and cached:
 * asking git for every file would put process spawns on the open path.
 */
export class Repositories {
  private readonly byFolder = new Map<string, Promise<RepositoryLocation | undefined>>();
  private readonly stores = new Map<string, RunsStore>();
  private readonly realFolders = new Map<string, string>();

  constructor(private readonly logger: Logger) {}

  async forFile(file: string): Promise<FileRepository | undefined> {
    const folder = path.dirname(file);
    let found = this.byFolder.get(folder);
    if (!found) {
      found = locateRepository(folder).catch(error => {
        this.logger.debug(
          `${folder} is not in a git repository (${(error as Error).message}); its attribution is kept in memory only`,
        );
        return undefined;
      });
      this.byFolder.set(folder, found);
    }
    const location = await found;
    if (!location) return undefined;
    // git names the top folder with symbolic links resolved; so must we, for a workspace opened through a link.
    let real = this.realFolders.get(folder);
    if (real === undefined) {
      try {
        real = await fs.promises.realpath(folder);
      } catch {
        real = folder;
      }
      this.realFolders.set(folder, real);
    }
    const repoPath = path
      .relative(location.root, path.join(real, path.basename(file)))
      .split(path.sep)
      .join('/');
    if (repoPath.startsWith('../') || repoPath === '..' || path.isAbsolute(repoPath)) return undefined;
    let store = this.stores.get(location.stateDir);
    if (!store) {
      store = openRunsStore(location, this.logger);
      this.stores.set(location.stateDir, store);
    }
    return { location, store, repoPath };
  }

  /** Forget cached answers (a repository was created or removed). */
  clear(): void {
    this.byFolder.clear();
    this.realFolders.clear();
  }
}
