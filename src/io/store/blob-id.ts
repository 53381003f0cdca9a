import type * as Crypto from 'node:crypto';
import type { Logger } from '../../core/log';
import { type ObjectFormat } from '../../core/formats/state-files';
import { git } from '../git/git';

/**
 * Git blob ids computed in-process (the same id `git hash-object` gives), and the repository's object format.
 */

let crypto: typeof Crypto | undefined;
/** node:crypto, loaded when first needed: the agent hook computes blob ids only for shell commands. */
function loadCrypto(): typeof Crypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (crypto ??= require('node:crypto') as typeof Crypto);
}

/**
 * The git blob id of `content`, exactly as `git hash-object --stdin` computes it (no filters: the bytes as given).
 * A string is hashed as UTF-8, which is what the editor writes for a UTF-8 file without a BOM; pass bytes for any
 * other encoding. In-process because it runs on every save and spawning git costs milliseconds.
 */
export function computeBlobId(content: string | Uint8Array, format: ObjectFormat = 'sha1'): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const hash = loadCrypto().createHash(format);
  hash.update(`blob ${bytes.byteLength}\0`);
  hash.update(bytes);
  return hash.digest('hex');
}

/** Object formats already known in this process, by repository folder: it never changes under a running process. */
const knownFormats = new Map<string, ObjectFormat>();

/** Tells detectObjectFormat the answer for `root`, learnt from a git call that asked it along with other things. */
export function rememberObjectFormat(root: string, format: ObjectFormat): void {
  knownFormats.set(root, format);
}

/**
 * The repository's object format. A git too old to know `--show-object-format` echoes the option back; such a git
 * cannot read sha256 repositories, so the answer is sha1.
 */
export async function detectObjectFormat(cwd: string, logger?: Logger): Promise<ObjectFormat> {
  const known = knownFormats.get(cwd);
  if (known) return known;
  const out = (await git(['rev-parse', '--show-object-format'], { cwd, logger })).trim();
  if (out === 'sha1' || out === 'sha256') return out;
  logger?.debug(`git rev-parse --show-object-format answered ${JSON.stringify(out)}; assuming sha1`);
  return 'sha1';
}
