/**
 * The offset lookup shared by the chunked structures (TextBuffer's text chunks, RunList's run chunks): `starts[i]`
 * is where chunk i begins, filled in lazily up to `validTo` (an edit only invalidates from its chunk on). Extends
 * the valid prefix as far as `offset` needs, then binary-searches it. Returns the chunk holding `offset` (the
 * last chunk for the end of the text) and the new `validTo`. Needs at least one chunk.
 */
export function findChunk(
  starts: number[],
  validTo: number,
  count: number,
  lengthOf: (i: number) => number,
  offset: number,
): [index: number, validTo: number] {
  let v = validTo;
  while (v < count - 1 && starts[v]! + lengthOf(v) <= offset) {
    starts[v + 1] = starts[v]! + lengthOf(v);
    v++;
  }
  let lo = 0;
  let hi = v;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return [lo, v];
}
