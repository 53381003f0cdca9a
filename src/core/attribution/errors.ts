import type { TextChange } from './events';
/**
 * Typed errors of the attribution engine. Each carries a stable `code` so callers (the replay command, the
 * extension) can decide what to do without parsing words, and a message that says what was wrong and what
 * the engine expected.
 */
export type EngineErrorCode =
  /** An offset or range lies outside the text it refers to. */
  | 'out-of-range'
  /** The changes of one event are not in VS Code's order (bottom to top, not overlapping). */
  | 'change-order'
  /** The event names a path the engine does not track. */
  | 'unknown-path'
  /** The event needs an open document and the path is tracked but closed. */
  | 'not-open'
  /** A rename would overwrite a path that is open in the editor. */
  | 'path-in-use'
  /** A value has the wrong shape (negative length, unknown tool...). */
  | 'invalid';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Throws an out-of-range error unless `[offset, offset + length)` lies within a text of `size` code units. */
export function checkRange(offset: number, length: number, size: number, what: string): void {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0) {
    throw new EngineError(
      'invalid',
      `${what}: offset and length must be whole numbers >= 0 (got offset ${offset}, length ${length})`,
    );
  }
  if (offset + length > size) {
    throw new EngineError(
      'out-of-range',
      `${what}: range ${offset}..${offset + length} is outside the text, which has ${size} UTF-16 code units`,
    );
  }
}

/**
 * Checks one change event against a text of `size` code units: whole numbers, in range, and in VS Code's order
 * (bottom to top, not overlapping), so applying them one after the other with their original offsets is right.
 */
export function validateChanges(changes: readonly TextChange[], size: number, path: string): void {
  let limit = size;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (typeof c.text !== 'string') throw new EngineError('invalid', `edit on ${path}: change ${i + 1} has no text`);
    checkRange(c.offset, c.length, size, `edit on ${path}, change ${i + 1}`);
    if (c.offset + c.length > limit) {
      throw new EngineError(
        'change-order',
        `edit on ${path}: change ${i + 1} (offset ${c.offset}, length ${c.length}) overlaps or follows change ${i}, which starts at ${limit}; ` +
          'changes must come bottom to top, as VS Code delivers them',
      );
    }
    limit = c.offset;
  }
}
