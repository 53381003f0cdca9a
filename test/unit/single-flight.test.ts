import * as assert from 'node:assert/strict';
import { SingleFlight } from '../../src/extension/platform/single-flight';

/** A promise and the functions that settle it. */
function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: Error): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight: a command runs once at a time', () => {
  it('runs the work once for a double invocation; both get its result and the second is told it is busy', async () => {
    const flights = new SingleFlight();
    const gate = deferred<string>();
    let runs = 0;
    let busy = 0;
    const work = () => {
      runs++;
      return gate.promise;
    };
    const first = flights.run('signOff', work, () => busy++);
    const second = flights.run('signOff', work, () => busy++);
    assert.equal(flights.isRunning('signOff'), true);
    gate.resolve('abc123');
    assert.deepEqual(await Promise.all([first, second]), ['abc123', 'abc123']);
    assert.equal(runs, 1);
    assert.equal(busy, 1);
    assert.equal(flights.isRunning('signOff'), false);
  });

  it('runs again once the first run has settled, and keeps other keys apart', async () => {
    const flights = new SingleFlight();
    let runs = 0;
    await flights.run('signOff', () => ++runs);
    await flights.run('signOff', () => ++runs);
    const other = deferred<number>();
    const a = flights.run('signOff', () => other.promise);
    const b = flights.run('requestReview', () => ++runs);
    assert.equal(await b, 3);
    other.resolve(0);
    assert.equal(await a, 0);
  });

  it('gives a failure to every caller that joined, and lets the next call run', async () => {
    const flights = new SingleFlight();
    const gate = deferred<string>();
    const first = flights.run('installHooks', () => gate.promise);
    const second = flights.run('installHooks', () => Promise.resolve('never runs'));
    gate.reject(new Error('HEAD moved'));
    await assert.rejects(first, /HEAD moved/);
    await assert.rejects(second, /HEAD moved/);
    assert.equal(await flights.run('installHooks', () => 'ok'), 'ok');
  });

  it('counts work that throws at once as settled', async () => {
    const flights = new SingleFlight();
    await assert.rejects(
      flights.run('refresh', () => {
        throw new Error('no repository');
      }),
      /no repository/,
    );
    assert.equal(flights.isRunning('refresh'), false);
  });
});
