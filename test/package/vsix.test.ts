import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yauzl from 'yauzl';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsixPath = path.join(root, `${manifest.name}-${manifest.version}.vsix`);

/** Exactly what a user receives. A new file to ship is added here on purpose, never by accident. */
const EXPECTED = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/dist/agent-hook-bundle.js',
  'extension/dist/agent-hook.js',
  'extension/dist/cli-cached.js',
  'extension/dist/cli.js',
  'extension/dist/extension.js',
  'extension/media/activity-bar.svg',
  'extension/media/gutter-ai.svg',
  'extension/media/gutter-mixed.svg',
  'extension/package.json',
  'extension/package.nls.json',
  'extension/readme.md',
];

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('vsce package', function () {
  this.timeout(120000);
  let entries: Map<string, Buffer>;

  before(async () => {
    fs.rmSync(vsixPath, { force: true });
    execFileSync(process.execPath, [path.join(root, 'scripts', 'package.mjs')], { cwd: root, stdio: 'pipe' });
    assert.ok(fs.existsSync(vsixPath), `${path.basename(vsixPath)} was not produced`);
    entries = await readZip(vsixPath);
  });

  it(`produces ${manifest.name}-${manifest.version}.vsix with exactly the files that should ship`, () => {
    assert.deepEqual([...entries.keys()].sort(), [...EXPECTED].sort());
  });

  it('ships production bundles: minified, no source map references, vscode left external', () => {
    const extension = entries.get('extension/dist/extension.js')!.toString('utf8');
    assert.ok(!extension.includes('sourceMappingURL'), 'the shipped bundle points at a source map that is not shipped');
    assert.match(extension, /require\("vscode"\)/);
    assert.ok(extension.length < 400 * 1024, `extension bundle is ${extension.length} bytes (budget 400 KB)`);
    const cli = entries.get('extension/dist/cli.js')!.toString('utf8');
    assert.ok(cli.startsWith('#!/usr/bin/env node'), 'the CLI bundle lacks its shebang');
    assert.ok(!cli.includes('require("vscode")'), 'the CLI bundle requires vscode');
  });

  it('carries the manifest with the identity and engine the tests run against', () => {
    const shipped = JSON.parse(entries.get('extension/package.json')!.toString('utf8'));
    assert.equal(shipped.name, 'ai-provenance');
    assert.equal(shipped.publisher, 'ai-provenance');
    assert.equal(shipped.engines.vscode, '^1.100.0');
    const vsixManifest = entries.get('extension.vsixmanifest')!.toString('utf8');
    assert.match(vsixManifest, /Id="ai-provenance"/);
    assert.match(vsixManifest, /Publisher="ai-provenance"/);
  });

  it('ships a CLI bundle that runs on its own', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-vsix-'));
    try {
      const cli = path.join(dir, 'cli.js');
      fs.writeFileSync(cli, entries.get('extension/dist/cli.js')!);
      const out = execFileSync(process.execPath, [cli, '--version'], { cwd: dir, encoding: 'utf8' });
      assert.equal(out.trim(), manifest.version);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships an agent hook that records a call on its own (its loader, its bundle, the code cache)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-vsix-'));
    try {
      for (const f of ['agent-hook.js', 'agent-hook-bundle.js'])
        fs.writeFileSync(path.join(dir, f), entries.get(`extension/dist/${f}`)!);
      const repo = path.join(dir, 'repo');
      execFileSync('git', ['init', '-q', repo]);
      fs.writeFileSync(path.join(repo, 'a.ts'), 'x\n');
      const payload = JSON.stringify({
        session_id: 's',
        cwd: repo,
        hook_event_name: 'PreToolUse',
        tool_name: 'Write',
        tool_input: { file_path: path.join(repo, 'a.ts'), content: 'y\n' },
        tool_use_id: 't',
      });
      for (let run = 0; run < 2; run++) {
        const out = execFileSync(process.execPath, [path.join(dir, 'agent-hook.js'), 'agent-hook', 'claude-code'], {
          cwd: repo,
          input: payload,
          env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') },
          encoding: 'utf8',
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        assert.equal(out, '');
      }
      assert.equal(fs.readdirSync(path.join(repo, '.git', 'ai-provenance', 'spool')).length, 2);
      assert.equal(fs.readdirSync(path.join(dir, 'cache', 'ai-provenance', 'code-cache')).length, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
