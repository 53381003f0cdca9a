import * as vscode from 'vscode';
import type { Logger } from '../../core/log';

/** The extension's one output channel, a LogOutputChannel so people pick the level in the UI. */
export function createLogger(): { logger: Logger; channel: vscode.LogOutputChannel } {
  const channel = vscode.window.createOutputChannel(vscode.l10n.t('AI Provenance'), { log: true });
  const logger: Logger = {
    trace: (m, ...a) => channel.trace(m, ...a),
    debug: (m, ...a) => channel.debug(m, ...a),
    info: (m, ...a) => channel.info(m, ...a),
    warn: (m, ...a) => channel.warn(m, ...a),
    error: (m, ...a) => channel.error(m, ...a),
  };
  return { logger, channel };
}
