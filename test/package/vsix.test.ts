import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
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
  'extension/dist/chart.umd.min.js',
  'extension/dist/cli-cached.js',
  'extension/dist/cli.js',
  'extension/dist/extension.js',
  'extension/media/activity-bar.svg',
  'extension/media/gutter-ai.svg',
  'extension/media/gutter-mixed.svg',
  'extension/media/icon.png',
  'extension/media/screenshots/audit-report.png',
  'extension/media/screenshots/review-1-requested-of-me.png',
  'extension/media/screenshots/review-2-multi-diff.png',
  'extension/media/screenshots/review-3-line-comment.png',
  'extension/media/screenshots/review-4-changes-requested.png',
  'extension/media/screenshots/review-5-signed-off.png',
  'extension/media/screenshots/sidebar.png',
  'extension/media/walkthroughs/developer-ai-lines.md',
  'extension/media/walkthroughs/developer-commit.md',
  'extension/media/walkthroughs/developer-hooks.md',
  'extension/media/walkthroughs/developer-review.md',
  'extension/media/walkthroughs/senior-ci.md',
  'extension/media/walkthroughs/senior-open.md',
  'extension/media/walkthroughs/senior-review.md',
  'extension/media/walkthroughs/senior-signoff.md',
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

/** Where the extension's repository is: package.json's repository, and the base of the links vsce rewrites. */
const REPOSITORY = 'https://github.com/ai-provenance/ai-provenance';

/** The categories VS Code and the Marketplace accept (VS Code's extension manifest schema, 1.100 to 1.139). */
const ALLOWED_CATEGORIES = [
  'AI',
  'Azure',
  'Chat',
  'Data Science',
  'Debuggers',
  'Extension Packs',
  'Education',
  'Formatters',
  'Keymaps',
  'Language Packs',
  'Linters',
  'Machine Learning',
  'Notebooks',
  'Programming Languages',
  'SCM Providers',
  'Snippets',
  'Testing',
  'Themes',
  'Visualization',
  'Other',
];

/** Width and height of a PNG, from its IHDR chunk; undefined when the bytes are not a PNG. */
function pngSize(png: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature)) return undefined;
  if (png.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * A markdown text split at its fenced code blocks: its lines with the code lines blanked (line numbers stay), and
 * each fenced block, fences included.
 */
function splitCode(markdown: string): { prose: string[]; blocks: string[] } {
  const prose: string[] = [];
  const blocks: string[] = [];
  let fence: { char: string; length: number; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      fence.lines.push(line);
      prose.push('');
      if (marker && marker[0] === fence.char && marker.length >= fence.length && line.trim() === marker) {
        blocks.push(fence.lines.join('\n'));
        fence = undefined;
      }
    } else if (marker) {
      fence = { char: marker[0]!, length: marker.length, lines: [line] };
      prose.push('');
    } else {
      prose.push(line);
    }
  }
  if (fence) blocks.push(fence.lines.join('\n'));
  return { prose, blocks };
}

/** Prose of a markdown text: outside fenced code blocks and inline code spans. */
function prose(markdown: string): string {
  return splitCode(markdown)
    .prose.join('\n')
    .replace(/(`+)[\s\S]*?\1/g, '');
}

interface MarkdownLink {
  image: boolean;
  target: string;
}

/** Every link and image a markdown text shows: inline ones (nested too), reference definitions and HTML. */
function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  const inline = /(!?)\[((?:[^[\]]|\[[^[\]]*\])*)\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g;
  const scan = (text: string): void => {
    for (const m of text.matchAll(inline)) {
      links.push({ image: m[1] === '!', target: m[3]! });
      scan(m[2]!);
    }
  };
  const text = prose(markdown);
  scan(text);
  for (const m of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm))
    links.push({ image: false, target: m[1]! });
  for (const m of text.matchAll(/<img\b[^>]*\bsrc=["']([^"']+)["']/gi)) links.push({ image: true, target: m[1]! });
  for (const m of text.matchAll(/<a\b[^>]*\bhref=["']([^"']+)["']/gi)) links.push({ image: false, target: m[1]! });
  return links;
}

/** The anchors of a markdown text's headings, as GitHub, the Marketplace and VS Code name them. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of splitCode(markdown).prose) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[`*]/g, '')
      .replace(/<[^>]+>/g, '');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Files git would commit here: tracked, or new and not ignored (what the repository on GitHub holds once pushed). */
function repositoryFiles(): Set<string> {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return new Set(out.split('\0').filter(Boolean));
}

describe('vsce package', function () {
  this.timeout(120000);
  let entries: Map<string, Buffer>;
  /** What scripts/package.mjs printed, vsce's lines included (stdout and stderr). */
  let packageOutput: string;

  before(async () => {
    fs.rmSync(vsixPath, { force: true });
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.mjs')], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    packageOutput = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, `scripts/package.mjs failed:\n${packageOutput}`);
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

  it('packages without a single vsce warning', () => {
    // vsce prints " WARNING  message" (or "::warning::" under GitHub Actions) and goes on; the .vsix would still be
    // made, so the output is the only place to see that the repository, LICENSE or anything else is missing.
    assert.doesNotMatch(packageOutput, /(^|\s)WARNING\s|::warning/, packageOutput);
    assert.match(packageOutput, /DONE\s+Packaged:/);
  });

  it('ships its icon: a square PNG of at least 128x128, named in both manifests', () => {
    const shipped = JSON.parse(entries.get('extension/package.json')!.toString('utf8'));
    assert.equal(shipped.icon, 'media/icon.png');
    const icon = entries.get(`extension/${shipped.icon}`);
    assert.ok(icon, `${shipped.icon} is not in the .vsix`);
    const size = pngSize(icon);
    assert.ok(size, `${shipped.icon} is not a PNG`);
    assert.ok(size.width >= 128 && size.height >= 128, `the icon is ${size.width}x${size.height}, under 128x128`);
    assert.equal(size.width, size.height, 'the icon is not square');
    const vsixManifest = entries.get('extension.vsixmanifest')!.toString('utf8');
    assert.match(vsixManifest, /<Icon>extension\/media\/icon\.png<\/Icon>/);
    assert.match(
      vsixManifest,
      /Type="Microsoft\.VisualStudio\.Services\.Icons\.Default" Path="extension\/media\/icon\.png"/,
    );
  });

  it("carries the Marketplace's fields: repository, bugs, homepage, banner, categories, keywords, pricing", () => {
    const shipped = JSON.parse(entries.get('extension/package.json')!.toString('utf8'));
    assert.deepEqual(shipped.repository, { type: 'git', url: `${REPOSITORY}.git` });
    assert.deepEqual(shipped.bugs, { url: `${REPOSITORY}/issues` });
    assert.equal(shipped.homepage, `${REPOSITORY}#readme`);
    assert.equal(shipped.private, true, 'the extension is not an npm package (the CLI is ai-provenance-cli)');
    assert.match(shipped.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(shipped.galleryBanner.theme));
    assert.equal(shipped.pricing, 'Free');
    assert.ok(shipped.categories.includes('SCM Providers'));
    for (const category of shipped.categories)
      assert.ok(ALLOWED_CATEGORIES.includes(category), `category ${category} is not one VS Code accepts`);
    assert.ok(
      shipped.keywords.length > 0 && shipped.keywords.length <= 30,
      'the Marketplace takes 30 keywords at most',
    );
    const vsixManifest = entries.get('extension.vsixmanifest')!.toString('utf8');
    assert.ok(vsixManifest.includes(`Id="Microsoft.VisualStudio.Services.Links.Source" Value="${REPOSITORY}.git"`));
    assert.ok(vsixManifest.includes(`Id="Microsoft.VisualStudio.Services.Links.Support" Value="${REPOSITORY}/issues"`));
    assert.ok(vsixManifest.includes(`Id="Microsoft.VisualStudio.Services.Links.Learn" Value="${REPOSITORY}#readme"`));
  });

  it("shows a README whose every image and link works, on the Marketplace and in VS Code's Extensions view", () => {
    const readme = entries.get('extension/readme.md')!.toString('utf8');
    const anchors = headingAnchors(readme);
    const files = repositoryFiles();
    const rewritten = new RegExp(`^${REPOSITORY.replace(/[.]/g, '\\.')}/(raw|blob)/HEAD/([^#?]+)(#.*)?$`);
    const links = markdownLinks(readme);
    assert.ok(
      links.some(l => l.image),
      'the README shows no screenshot',
    );
    const problems: string[] = [];
    for (const { image, target } of links) {
      const what = `${image ? 'image' : 'link'} ${target}`;
      if (target.startsWith('#')) {
        if (!anchors.has(decodeURIComponent(target.slice(1)))) problems.push(`${what}: no heading has that anchor`);
        continue;
      }
      const github = rewritten.exec(target);
      const relative = !/^[a-z][a-z0-9+.-]*:/i.test(target);
      if (!github && !relative) {
        if (!/^https:\/\//.test(target) && !/^mailto:/.test(target)) problems.push(`${what}: not https`);
        continue;
      }
      // A path in the repository: vsce's rewritten address names it after HEAD/, a relative link names it itself.
      const [file = '', fragment] = (github ? `${github[2]}${github[3] ?? ''}` : target).split('#');
      const repoPath = path.posix.normalize(decodeURIComponent(file)).replace(/\/$/, '');
      if (repoPath.startsWith('..') || path.posix.isAbsolute(repoPath)) {
        problems.push(`${what}: leaves the repository`);
        continue;
      }
      const inRepository = files.has(repoPath) || [...files].some(f => f.startsWith(`${repoPath}/`));
      const inVsix = entries.has(`extension/${repoPath}`);
      if (image) {
        if (github && github[1] !== 'raw') problems.push(`${what}: an image must be a raw address`);
        if (!inVsix) problems.push(`${what}: ${repoPath} is not in the .vsix`);
        if (github && !inRepository) problems.push(`${what}: ${repoPath} is not a file of the repository`);
        if (!/\.(png|jpe?g|gif|webp)$/i.test(repoPath)) problems.push(`${what}: not a PNG, JPEG, GIF or WebP image`);
      } else if (github ? !inRepository : !inRepository && !inVsix) {
        problems.push(`${what}: ${repoPath} is not a file of the repository`);
      } else if (fragment && repoPath.endsWith('.md') && files.has(repoPath)) {
        const page = fs.readFileSync(path.join(root, repoPath), 'utf8');
        if (!headingAnchors(page).has(decodeURIComponent(fragment)))
          problems.push(`${what}: ${repoPath} has no heading with that anchor`);
      }
    }
    // Bare addresses in the text (outside code) are links too on the Marketplace.
    for (const m of prose(readme).matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]"'`]+/gi))
      if (!m[0].startsWith('https://')) problems.push(`address ${m[0]}: not https`);
    assert.deepEqual(problems, []);
  });

  it("keeps the README's code blocks as written (vsce rewrites links in the markdown text, code included)", () => {
    const source = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const shipped = entries.get('extension/readme.md')!.toString('utf8');
    assert.deepEqual(splitCode(shipped).blocks, splitCode(source).blocks);
    assert.ok(shipped.includes('`npm run ci`'), 'the README names the command that sets up and runs every test');
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
