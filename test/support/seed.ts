/**
 * Repeatable randomness for tests that explore at random: the seed comes from AI_PROVENANCE_TEST_SEED when set
 * (to repeat a failing run), else it is drawn at random; either way the test prints it.
 */
export function testSeed(): number {
  const given = process.env.AI_PROVENANCE_TEST_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`AI_PROVENANCE_TEST_SEED must be a whole number, got "${given}"`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 32);
}

/** A small 32-bit generator (mulberry32): numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Runs `body` with a generator from testSeed(), printing the seed, and naming it in the error if body fails. */
export async function withSeed<T>(what: string, body: (random: () => number) => Promise<T>): Promise<T> {
  const seed = testSeed();
  console.log(`      ${what}: seed ${seed} (AI_PROVENANCE_TEST_SEED=${seed} repeats this run)`);
  try {
    return await body(seededRandom(seed));
  } catch (error) {
    if (error instanceof Error)
      error.message = `${error.message}\n(${what}: AI_PROVENANCE_TEST_SEED=${seed} repeats this run)`;
    throw error;
  }
}
