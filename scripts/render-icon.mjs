// node scripts/render-icon.mjs: renders media/icon.svg to media/icon.png, the extension's icon on the Marketplace,
// Open VSX and VS Code's Extensions view (they take a PNG, never an SVG). Run it after changing the SVG and commit
// both files. It draws the SVG in headless Chromium through playwright-core, at 256x256 pixels (the Marketplace
// asks for at least 128x128; twice that stays sharp on high-density screens), on a transparent background.
// CHROMIUM_PATH picks the browser (default /usr/bin/chromium, as for the e2e tests); --size N for another size.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'media', 'icon.svg');
const target = path.join(root, 'media', 'icon.png');
const sizeAt = process.argv.indexOf('--size');
const size = sizeAt > 0 ? Number(process.argv[sizeAt + 1]) : 256;
if (!Number.isInteger(size) || size < 128) {
  console.error('render-icon: --size takes a whole number of pixels, 128 or more');
  process.exit(2);
}

const svg = readFileSync(source, 'utf8');
const html =
  '<!doctype html><html><head><style>html,body{margin:0;padding:0;background:transparent}' +
  `img{display:block;width:${size}px;height:${size}px}</style></head><body>` +
  `<img alt="" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  await page.setContent(html);
  await page.locator('img').evaluate(img => img.decode());
  const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  writeFileSync(target, png);
  console.log(`${path.relative(root, target)}: ${size}x${size}, ${png.length} bytes`);
} finally {
  await browser.close();
}
