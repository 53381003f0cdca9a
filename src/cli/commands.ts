import { blameCommand } from './blame';
import type { Command } from './command';
import { exportCommand } from './export';
import { hookCommand } from './hook';
import { hooksCommand } from './hooks';
import { notesCommand } from './notes';
import { replayCommand } from './replay';

/** Every command of the CLI, in the order `--help` lists them. */
export const commands: readonly Command[] = [replayCommand, hooksCommand, hookCommand, blameCommand, exportCommand, notesCommand];
