import { reanchor } from '../src/core/attribution/reanchor';
import { seededRandom } from '../test/support/seed';
import {
  OUTSIDE_EDITS,
  applyOutsideEdit,
  cloneFile,
  fileRuns,
  fileText,
  randomFile,
  score,
  type OutsideEdit,
} from '../test/support/outside-edits';
import { median, nowMicros, type BenchResult, type Benchmark } from './harness';

/**
 * How much of the attribution re-anchoring keeps right when a file changes outside the editor, against an oracle
 * that knows every character's origin (test/support/outside-edits.ts): random files, random changes of each kind
 * (insert, delete, edit a word, move a block, swap two lines, indent a block), one to three per trial. Fixed seed,
 * so two runs compare. The goal (issue 12): at least 99% of lines right.
 */
function accuracy(kinds: readonly OutsideEdit[], trials: number, seed: number): Record<string, number> {
  const random = seededRandom(seed);
  let chars = 0;
  let charsRight = 0;
  let lines = 0;
  let linesRight = 0;
  let aiInvented = 0;
  let aiLost = 0;
  for (let t = 0; t < trials; t++) {
    const before = randomFile(random, 20 + Math.floor(random() * 200));
    const after = cloneFile(before);
    const edits = 1 + Math.floor(random() * 3);
    for (let e = 0; e < edits; e++) applyOutsideEdit(random, after, kinds[Math.floor(random() * kinds.length)]!);
    const result = reanchor(fileText(before), fileRuns(before), fileText(after));
    const s = score(after, result.runs);
    chars += s.chars;
    charsRight += s.charsRight;
    lines += s.lines;
    linesRight += s.linesRight;
    aiInvented += s.aiInvented;
    aiLost += s.aiLost;
  }
  return {
    trials,
    charsRightPercent: Math.round((10000 * charsRight) / chars) / 100,
    linesRightPercent: Math.round((10000 * linesRight) / lines) / 100,
    aiInventedChars: aiInvented,
    aiLostChars: aiLost,
    chars,
  };
}

function accuracyResults(): BenchResult[] {
  const results: BenchResult[] = [
    {
      name: 'reanchor.accuracy',
      description:
        'lines and characters whose origin re-anchoring keeps right, 300 random files, 1-3 random outside changes of every kind',
      metrics: accuracy(OUTSIDE_EDITS, 300, 12),
    },
  ];
  for (const kind of OUTSIDE_EDITS) {
    results.push({
      name: `reanchor.accuracy.${kind}`,
      description: `the same, changes of one kind: ${kind}`,
      metrics: accuracy([kind], 150, 34),
    });
  }
  return results;
}

/** Time to re-anchor after a few outside changes, at several file sizes, so growth shows. */
function speed(): BenchResult {
  const metrics: Record<string, number> = {};
  for (const size of [200, 2000, 20000]) {
    const random = seededRandom(size);
    const times: number[] = [];
    for (let t = 0; t < 7; t++) {
      const before = randomFile(random, size);
      const after = cloneFile(before);
      for (let e = 0; e < 3; e++) applyOutsideEdit(random, after, OUTSIDE_EDITS[e % OUTSIDE_EDITS.length]!);
      for (let e = 0; e < 2; e++) applyOutsideEdit(random, after, 'move');
      const oldText = fileText(before);
      const runs = fileRuns(before);
      const newText = fileText(after);
      const start = nowMicros();
      reanchor(oldText, runs, newText);
      times.push(nowMicros() - start);
    }
    metrics[`lines${size}MedianMs`] = Math.round(median(times)) / 1000;
  }
  return {
    name: 'reanchor.speed',
    description: 're-anchoring after 3 changes and 2 block moves, median of 7, at 200, 2,000 and 20,000 lines',
    metrics,
  };
}

export const benchmark: Benchmark = {
  name: 'reanchor',
  async run(): Promise<BenchResult[]> {
    return [...accuracyResults(), speed()];
  },
};
