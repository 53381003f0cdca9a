/**
 * The one logging interface. The extension backs it with a LogOutputChannel, the CLI with stderr; core code
 * receives it and never decides where lines go.
 */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

/** A logger that drops everything: for code paths whose caller asked for silence. */
export const nullLogger: Logger = {
  trace() {
    /* silent */
  },
  debug() {
    /* silent */
  },
  info() {
    /* silent */
  },
  warn() {
    /* silent */
  },
  error() {
    /* silent */
  },
};
