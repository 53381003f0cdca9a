/**
 * Measures how long each change event takes in the tracker's handler, listeners included, when asked (the e2e
 * typing bench): off, it costs one check per event.
 */
export class ChangeProfiler {
  private timings: number[] | undefined;

  /** Starts recording; `stop` returns the times in microseconds. */
  start(): { stop(): number[] } {
    const timings: number[] = [];
    this.timings = timings;
    return {
      stop: () => {
        if (this.timings === timings) this.timings = undefined;
        return timings;
      },
    };
  }

  /** Runs `handle`, timing it when recording. */
  measure(handle: () => void): void {
    if (!this.timings) return handle();
    const start = performance.now();
    handle();
    this.timings.push((performance.now() - start) * 1000);
  }
}
