/**
 * One run at a time per key: a call while the key's work runs does not start the work again, it joins the running
 * one and gets its result (or its error). Once the work settles, the next call runs it afresh.
 *
 * No vscode import: the unit tests load it in plain Node. What a command shows while it runs, and what it says to
 * a second click, is the caller's (src/extension/platform/progress.ts).
 */
export class SingleFlight {
  private readonly running = new Map<string, Promise<unknown>>();

  /** Whether the work of `key` runs now. */
  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /**
   * Runs `work` unless the work of `key` runs already; then `onBusy` is told (a second click) and the call joins
   * the running work instead.
   */
  run<T>(key: string, work: () => Promise<T> | T, onBusy?: () => void): Promise<T> {
    const current = this.running.get(key) as Promise<T> | undefined;
    if (current) {
      onBusy?.();
      return current;
    }
    const started = (async () => work())().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
