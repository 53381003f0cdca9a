import * as fs from 'node:fs';
import * as path from 'node:path';

declare const AI_PROVENANCE_VERSION: string | undefined;

/** The package version: defined by esbuild at bundle time; read from package.json when running unbundled. */
export function toolVersion(): string {
  if (typeof AI_PROVENANCE_VERSION === 'string') return AI_PROVENANCE_VERSION;
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
