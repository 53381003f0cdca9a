import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { runCli } from '../support/git-fixture';
import { junior, senior, show, signoffReposPerTest, type SignoffRepo } from '../support/signoff-fixture';

/**
 * `audit --format html` opened in headless Chromium (Debian's, as the e2e tests use): the page renders its plots
 * from the file alone (no request leaves it), and every number it shows is the JSON audit's.
 */

interface Doc {
  totals: Record<string, number>;
  changes: {
    status: string;
    aiAssisted: boolean;
    aiLines: number;
    mixedLines: number;
    linesAdded: number;
    tools: Record<string, number>;
    signoffs: { reviewer: { email: string } | null; defects: string[]; covers: string[] }[];
  }[];
}

let clock = Math.floor(Date.now() / 1000);
function at(r: SignoffRepo, args: string[], input = ''): string {
  clock += 5 * 86_400; // the changes land days apart: several weeks on the time axis
  return r.run(args, { input, env: { GIT_COMMITTER_DATE: `${clock} +0000`, GIT_AUTHOR_DATE: `${clock} +0000` } });
}

describe('audit --format html in headless Chromium', function () {
  this.timeout(120_000);
  const repo = signoffReposPerTest();
  let browser: Browser | undefined;
  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
  });
  after(async () => browser?.close());

  it('renders every plot from the file alone, with the JSON audit’s numbers', async () => {
    const r = repo();
    // A signed-off merge, a squash nobody signed (an exception), a human fast-forward, a signed-off squash.
    r.aiCommit(junior(), 'src/a.ts', 4);
    assert.equal(r.signOff(senior()).status, 0);
    r.git('checkout', '-q', 'main');
    at(r, ['merge', '-q', '--no-ff', '--no-gpg-sign', '-m', 'Merge pull request #1', 'feature']);
    r.git('checkout', '-q', '-b', 'two');
    r.aiCommit(junior(), 'lib/b.ts', 3, 'feat: <img src=x onerror=alert(1)>');
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--squash', 'two');
    at(r, [
      'commit',
      '-q',
      '--no-gpg-sign',
      '-m',
      'Two (#2)\n\n* feat\n\nAI-Attribution: v1 added=3 ai=3 mixed=0 unknown=0 tools=copilot/inline:3\n',
    ]);
    r.commitAs(junior(), 'docs: by hand\n', { files: { 'docs/c.md': 'one\ntwo\n' } });
    r.git('checkout', '-q', '-b', 'three');
    r.aiCommit(junior(), 'src/d.ts', 2);
    assert.equal(r.signOff(senior()).status, 0);
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--squash', 'three');
    at(r, ['commit', '-q', '--no-gpg-sign', '-m', 'Three (#3)']);
    r.git('branch', '-q', '-D', 'feature', 'two', 'three');

    const json = runCli(['-C', r.dir, 'audit', '--branch', 'main', '--format', 'json']);
    assert.equal(json.status, 1, show(json));
    const doc = JSON.parse(json.stdout) as Doc;
    assert.equal(doc.totals.exceptions, 1);
    assert.equal(doc.totals.signedOff, 2);

    const html = runCli(['-C', r.dir, 'audit', '--branch', 'main', '--format', 'html']);
    assert.equal(html.status, 1, show(html));
    assert.doesNotMatch(html.stdout, /<img src=x/, 'a subject cannot inject markup');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-audit-html-'));
    try {
      const file = path.join(dir, 'audit.html');
      fs.writeFileSync(file, html.stdout);
      const page = await browser!.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', req => {
        if (!req.url().startsWith('file://')) requests.push(req.url());
      });
      page.on('pageerror', e => errors.push(String(e)));
      page.on('console', m => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`file://${file}`);
      await page.waitForSelector('body[data-rendered="7"]', { timeout: 20_000 });
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [], 'the page needs no network');

      // The totals shown are the JSON's.
      const cards = await page.$$eval('[data-total]', els =>
        Object.fromEntries(els.map(e => [e.getAttribute('data-total'), e.querySelector('.n')!.textContent])),
      );
      assert.equal(cards['changes'], String(doc.totals.changes));
      assert.equal(cards['AI-assisted'], String(doc.totals.aiAssisted));
      assert.equal(cards['signed off'], String(doc.totals.signedOff));
      assert.equal(cards['exceptions'], String(doc.totals.exceptions));

      // Each plot drew the JSON's numbers: read back from the Chart.js instances on the page.
      const data = (await page.evaluate(() => {
        const charts = (
          globalThis as unknown as {
            auditCharts: Record<string, { data: { labels: string[]; datasets: { label: string; data: number[] }[] } }>;
          }
        ).auditCharts;
        return Object.fromEntries(
          Object.entries(charts).map(([id, c]) => [
            id,
            { labels: c.data.labels, datasets: c.data.datasets.map(d => ({ label: d.label, data: d.data })) },
          ]),
        );
      })) as Record<string, { labels: string[]; datasets: { label: string; data: number[] }[] }>;
      const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
      const series = (id: string, label: string): number[] => data[id]!.datasets.find(d => d.label === label)!.data;

      assert.ok(data['chart-share']!.labels.length >= 3, 'several weeks on the time axis');
      assert.equal(sum(series('chart-share', 'lines added')), sum(doc.changes.map(c => c.linesAdded)));
      assert.equal(sum(series('chart-share', 'AI lines')), sum(doc.changes.map(c => c.aiLines + c.mixedLines)));
      const byStatus = (s: string): number =>
        doc.changes.filter(c => (c.aiAssisted || c.status === 'exception') && c.status === s).length;
      assert.equal(sum(series('chart-coverage', 'signed off')), byStatus('signed-off'));
      assert.equal(sum(series('chart-coverage', 'exceptions')), byStatus('exception'));
      const tools: Record<string, number> = {};
      for (const c of doc.changes) for (const [k, n] of Object.entries(c.tools)) tools[k] = (tools[k] ?? 0) + n;
      assert.deepEqual(
        Object.fromEntries(data['chart-tools']!.labels.map((l, i) => [l, data['chart-tools']!.datasets[0]!.data[i]])),
        tools,
      );
      const signed = new Set(
        doc.changes.flatMap(c => c.signoffs.filter(s => s.defects.length === 0).flatMap(s => s.covers)),
      );
      assert.deepEqual(data['chart-load']!.labels, [senior().email]);
      assert.equal(series('chart-load', 'AI commits signed off')[0], signed.size);
      assert.equal(sum(data['chart-delay']!.datasets[0]!.data), signed.size);
      const exceptionRows = await page.$$eval('#exceptions tbody tr', rows => rows.length);
      assert.equal(exceptionRows, doc.totals.exceptions);
      await page.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
