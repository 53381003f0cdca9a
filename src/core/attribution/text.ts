import { checkRange } from './errors';
import { findChunk } from './chunks';

/**
 * A document's text as a list of string chunks of a few KB each.
 *
 * Why not one string: replacing a range of a JavaScript string copies the whole string (V8 flattens the rope on
 * the next slice), about 15 microseconds for a 5,000-line file: most of the engine's budget for one change event
 * (docs/budgets.md), and far worse for a 10 MB file. Here an edit rebuilds one chunk. The offset of each
 * chunk is kept as a prefix sum that is recomputed lazily from the first chunk an edit touched, so typing at
 * one place costs O(chunk) and a far jump costs one pass over the chunk list, not over the text.
 */
export class TextBuffer {
  private chunks: string[];
  /** starts[i] is the offset of chunks[i]; valid for i <= validTo. */
  private starts: number[];
  private validTo = 0;
  private size: number;
  /** The joined text, kept until the next edit: line classification and re-anchoring read it whole. */
  private flat: string | undefined;
  private readonly maxChunk: number;
  private readonly targetChunk: number;

  /** `maxChunk` is the chunk size in code units; small values are for tests that exercise chunk boundaries. */
  constructor(text = '', maxChunk = 4096) {
    if (!Number.isInteger(maxChunk) || maxChunk < 2)
      throw new RangeError(`maxChunk must be an integer >= 2, got ${maxChunk}`);
    this.maxChunk = maxChunk;
    this.targetChunk = Math.max(1, maxChunk >> 1);
    this.chunks = this.split(text);
    this.starts = [0];
    this.size = text.length;
    this.flat = text;
  }

  get length(): number {
    return this.size;
  }

  toString(): string {
    if (this.flat === undefined) this.flat = this.chunks.join('');
    return this.flat;
  }

  /** The text of `[start, end)`; throws if the range is outside the text. */
  slice(start: number, end: number): string {
    checkRange(start, end - start, this.size, 'slice');
    if (start === end) return '';
    if (this.flat !== undefined) return this.flat.slice(start, end);
    let i = this.find(start);
    let at = start - this.starts[i]!;
    const first = this.chunks[i]!;
    if (at + (end - start) <= first.length) return first.slice(at, at + (end - start));
    const parts: string[] = [];
    let left = end - start;
    while (left > 0) {
      const chunk = this.chunks[i]!;
      const take = Math.min(left, chunk.length - at);
      parts.push(chunk.slice(at, at + take));
      left -= take;
      at = 0;
      i++;
    }
    return parts.join('');
  }

  /** Replaces `[offset, offset + deleteLength)` with `text`. Throws (and changes nothing) if the range is outside. */
  replace(offset: number, deleteLength: number, text: string): void {
    checkRange(offset, deleteLength, this.size, 'replace');
    if (deleteLength === 0 && text.length === 0) return;
    this.flat = undefined;
    this.size += text.length - deleteLength;
    if (this.chunks.length === 0) {
      this.chunks = this.split(text);
      this.validTo = 0;
      return;
    }
    const c = this.find(offset);
    const cStart = this.starts[c]!;
    const end = offset + deleteLength;
    const d = deleteLength === 0 ? c : this.find(end);
    const dStart = this.starts[d]!;
    const piece = this.chunks[c]!.slice(0, offset - cStart) + text + this.chunks[d]!.slice(end - dStart);
    let from = c;
    let replaced = d - c + 1;
    let merged = piece;
    // Keep chunks from shrinking into dust after many deletions: fold a small piece into its left neighbour.
    if (merged.length < this.targetChunk >> 1 && c > 0 && this.chunks[c - 1]!.length + merged.length <= this.maxChunk) {
      from = c - 1;
      replaced++;
      merged = this.chunks[c - 1]! + merged;
    }
    this.chunks.splice(from, replaced, ...this.split(merged));
    // Offsets of chunks before `from` still hold; `from` itself may now be past the end.
    this.validTo = Math.max(0, Math.min(this.validTo, from, this.chunks.length - 1));
  }

  /** An independent copy; chunk strings are shared (strings are immutable), so this is O(chunks). */
  clone(): TextBuffer {
    const copy = Object.create(TextBuffer.prototype) as TextBuffer;
    Object.assign(copy, this, { chunks: this.chunks.slice(), starts: this.starts.slice() });
    return copy;
  }

  /** Whether both buffers hold the same text. Chunks shared by reference compare in O(1). */
  equals(other: TextBuffer): boolean {
    if (this.size !== other.size) return false;
    if (this.flat !== undefined && other.flat !== undefined) return this.flat === other.flat;
    const a = this.chunks;
    const b = other.chunks;
    let i = 0;
    let j = 0;
    let ai = 0;
    let bj = 0;
    while (i < a.length && j < b.length) {
      const x = a[i]!;
      const y = b[j]!;
      if (ai === 0 && bj === 0 && x === y) {
        i++;
        j++;
        continue;
      }
      const n = Math.min(x.length - ai, y.length - bj);
      if (x.slice(ai, ai + n) !== y.slice(bj, bj + n)) return false;
      ai += n;
      bj += n;
      if (ai === x.length) {
        i++;
        ai = 0;
      }
      if (bj === y.length) {
        j++;
        bj = 0;
      }
    }
    return true;
  }

  private split(text: string): string[] {
    if (text.length === 0) return [];
    if (text.length <= this.maxChunk) return [text];
    const parts: string[] = [];
    for (let at = 0; at < text.length; at += this.targetChunk) parts.push(text.slice(at, at + this.targetChunk));
    return parts;
  }

  /** Index of the chunk holding `offset` (the last chunk for the end of the text). Needs at least one chunk. */
  private find(offset: number): number {
    const chunks = this.chunks;
    const [index, validTo] = findChunk(this.starts, this.validTo, chunks.length, i => chunks[i]!.length, offset);
    this.validTo = validTo;
    return index;
  }
}
