import type { Command } from './command';
import { hookCommand } from './hook';
import { hooksCommand } from './hooks';
import { replayCommand } from './replay';

/** Every command of the CLI, in the order `--help` lists them. */
export const commands: readonly Command[] = [replayCommand, hooksCommand, hookCommand];
