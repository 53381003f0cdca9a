import type { Logger } from '../../core/log';
import { decodeRuns, type StoredRuns } from '../../core/formats/stored-runs';
import type { RepositoryLocation } from '../git/repository';
import { StateStore } from '../store/state-store';

/** The store of attribution runs, as the engine writes them (src/core/formats/stored-runs.ts). */
export type RunsStore = StateStore<StoredRuns>;

export function openRunsStore(location: RepositoryLocation, logger: Logger): RunsStore {
  return new StateStore<StoredRuns>(location, logger, {
    parseRuns: value => {
      decodeRuns(value); // validates the shape; the store moves a record that fails aside
      return value as StoredRuns;
    },
  });
}
