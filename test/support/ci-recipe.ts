import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliPath, repoRoot, type CliResult } from './git-fixture';

/**
 * A GitLab CI job as docs/ci.md gives it, read from the document (the first yaml block of a section) and run as a
 * runner would: its `script:` lines by `sh -e`, with `npm` a stub that records what it is asked and installs nothing,
 * and `ai-provenance` the built CLI.
 */
export interface GitlabJob {
  yaml: string;
  /** The lines indented under `key:` (the first such key), trimmed. */
  under(key: string): string[];
  /** The `script:` commands, each checked to be a plain YAML scalar (read exactly as written). */
  script: string[];
}

export function gitlabJob(section: string, nth = 0): GitlabJob {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'ci.md'), 'utf8');
  const start = doc.indexOf(`\n## ${section}\n`);
  assert.ok(start >= 0, `docs/ci.md has a "${section}" section`);
  const text = doc.slice(start, doc.indexOf('\n## ', start + 1));
  const yaml = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)][nth]?.[1];
  assert.ok(yaml, `the section holds yaml block ${nth}`);
  const lines = yaml.split('\n');
  const under = (key: string): string[] => {
    const at = lines.findIndex(l => new RegExp(`^\\s*${key}:\\s*$`).test(l));
    assert.ok(at >= 0, `the job has ${key}:`);
    const indent = lines[at]!.search(/\S/);
    const body: string[] = [];
    for (const line of lines.slice(at + 1)) {
      if (line.trim() === '') continue;
      if (line.search(/\S/) <= indent) break;
      body.push(line.trim());
    }
    return body;
  };
  const script = under('script').map(line => {
    assert.ok(line.startsWith('- '), line);
    const command = line.slice(2);
    // Plain YAML scalars only, so that YAML reads each line exactly as written here.
    assert.doesNotMatch(command, /^[-?:,[\]{}#&*!|>'"%@`]|: | #/, `"${command}" is not a plain YAML scalar`);
    return command;
  });
  return { yaml, under, script };
}

/** A folder for PATH with the npm stub (its calls appended as JSON lines to `log`) and `ai-provenance`. */
export function runnerBin(dir: string, log: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, 'npm'),
    [
      '#!/usr/bin/env node',
      `require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');`,
      "if (process.argv[2] === 'install' && process.argv.includes('-g')) process.exit(0);",
      "console.error('npm stub: only install -g is expected');",
      'process.exit(1);',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  fs.symlinkSync(cliPath, path.join(bin, 'ai-provenance'));
  return bin;
}

/** Runs the job's script in `cwd` with the runner's variables. */
export function runJob(job: GitlabJob, cwd: string, bin: string, variables: Record<string, string>): CliResult {
  const r = spawnSync('sh', ['-e', '-c', job.script.join('\n')], {
    cwd,
    encoding: 'utf8',
    timeout: 120000,
    env: {
      ...process.env,
      PATH: [bin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
      CI: 'true',
      GITLAB_CI: 'true',
      CI_PROJECT_DIR: cwd,
      ...variables,
    },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
