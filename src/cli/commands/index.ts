import { agentHookCommand } from './agent-hook';
import { agentsCommand } from './agents';
import { auditCommand } from './audit';
import { blameCommand } from './blame';
import { checkCommand } from './check';
import type { Command } from '../command';
import { exportCommand } from './export';
import { hookCommand } from './hook';
import { hooksCommand } from './hooks';
import { logCommand } from './log';
import { notesCommand } from './notes';
import { replayCommand } from './replay';
import { requestChangesCommand } from './request-changes';
import { requestReviewCommand } from './request-review';
import { signOffCommand } from './sign-off';
import { statusCommand } from './status';

/** Every command of the CLI, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  replayCommand,
  agentHookCommand,
  agentsCommand,
  hooksCommand,
  hookCommand,
  statusCommand,
  blameCommand,
  logCommand,
  exportCommand,
  notesCommand,
  requestReviewCommand,
  signOffCommand,
  requestChangesCommand,
  checkCommand,
  auditCommand,
];
