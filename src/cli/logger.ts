import type { Logger } from '../core/log';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/**
 * The CLI's logger: stderr only (stdout carries command output that scripts parse). The level comes from
 * AI_PROVENANCE_LOG (trace, debug, info, warn, error); warnings and errors show by default.
 */
export function stderrLogger(level: string | undefined = process.env.AI_PROVENANCE_LOG): Logger {
  const min = LEVELS.indexOf((LEVELS as readonly string[]).includes(level ?? '') ? (level as Level) : 'warn');
  const write = (at: Level, message: string | Error, args: unknown[]): void => {
    if (LEVELS.indexOf(at) < min) return;
    const text = message instanceof Error ? (message.stack ?? message.message) : message;
    const extra = args.map(a =>
      a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : JSON.stringify(a),
    );
    process.stderr.write(`ai-provenance: ${at}: ${[text, ...extra].join(' ')}\n`);
  };
  return {
    trace: (m, ...a) => write('trace', m, a),
    debug: (m, ...a) => write('debug', m, a),
    info: (m, ...a) => write('info', m, a),
    warn: (m, ...a) => write('warn', m, a),
    error: (m, ...a) => write('error', m, a),
  };
}
