/**
 * A 128-bit, non-cryptographic hash of a string as 32 hex digits: names for files that pair one agent tool call's
 * hooks (the same call gives the same name; different calls, in practice, never the same). Not for anything an
 * attacker must not forge. Exists because loading node:crypto costs the agent hook, which runs twice per tool call,
 * about 3 ms, a tenth of its own time. Four 32-bit lanes, each a multiply-xor over the UTF-16 code units with its
 * own seed and multiplier, finished with an avalanche so that near inputs give far names.
 */
const LANES: readonly (readonly [number, number])[] = [
  [0x811c9dc5, 0x01000193],
  [0x9e3779b9, 0x5bd1e995],
  [0x7f4a7c15, 0x27d4eb2f],
  [0x165667b1, 0x85ebca77],
];

function lane(text: string, seed: number, multiplier: number): string {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), multiplier);
  h ^= text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function shortHash(text: string): string {
  return LANES.map(([seed, multiplier]) => lane(text, seed, multiplier)).join('');
}
