/**
 * Paths of agent payloads, as plain strings (no file system): `/`-separated, `.` and `..` resolved, made
 * relative to a root. The replay engine maps payload paths to trace paths with these; the hook additionally
 * checks the real file system (symbolic links) before it trusts a path.
 */

/** True for `/x`, `C:/x`, `C:\x`, `\\server\x`. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p);
}

/** Splits into segments with `.` and `..` resolved; a `..` that would climb above the start is kept as `..`. */
function segments(p: string): string[] {
  const out: string[] = [];
  for (const s of p.replace(/\\/g, '/').split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(s);
  }
  return out;
}

function prefix(p: string): string {
  const drive = /^([A-Za-z]:)[\\/]/.exec(p);
  return drive ? `${drive[1]!.toUpperCase()}/` : '/';
}

/** An absolute path in normal form: `/a/b`, `C:/a/b`. */
export function normalizeAbsolute(p: string): string {
  const segs = segments(p.replace(/^[A-Za-z]:/, '')).filter(s => s !== '..');
  return prefix(p) + segs.join('/');
}

/**
 * `p` relative to `root` (`a/b.ts`), resolving a relative `p` against `cwd` (absolute, or relative to root) or
 * the root. Undefined when the path leaves the root, names the root itself, or goes through a `.git` folder.
 * Without a root, a relative path is taken as it is (it must not climb out), an absolute one resolves only
 * against an absolute cwd.
 */
export function rootRelative(p: string, root: string | undefined, cwd?: string): string | undefined {
  if (p === '') return undefined;
  let base = root;
  if (base === undefined || !isAbsolutePath(base)) {
    if (cwd !== undefined && isAbsolutePath(cwd)) base = cwd;
  }
  let rel: string[];
  if (base !== undefined && isAbsolutePath(base)) {
    const start = cwd === undefined ? base : isAbsolutePath(cwd) ? cwd : `${normalizeAbsolute(base)}/${cwd}`;
    const full = normalizeAbsolute(isAbsolutePath(p) ? p : `${normalizeAbsolute(start)}/${p}`);
    const rootNorm = normalizeAbsolute(base);
    const rootWithSlash = rootNorm.endsWith('/') ? rootNorm : `${rootNorm}/`;
    if (!full.startsWith(rootWithSlash)) return undefined;
    rel = full.slice(rootWithSlash.length).split('/').filter(Boolean);
  } else {
    if (isAbsolutePath(p)) return undefined;
    rel = segments(cwd !== undefined ? `${cwd}/${p}` : p);
  }
  if (rel.length === 0 || rel.includes('..')) return undefined;
  if (rel.some(s => s.toLowerCase() === '.git')) return undefined;
  return rel.join('/');
}
