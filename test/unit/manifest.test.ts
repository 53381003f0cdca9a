import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, ViewContainers, Views } from '../../src/extension/platform/ids';

// Runs in plain Node: src/extension/platform/ids.ts has no vscode import, so the constants load here.
const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

describe('package.json manifest', () => {
  const contributed: ContributedCommand[] = manifest.contributes.commands;

  it('contributes exactly the command constants of src/extension/platform/ids.ts', () => {
    assert.deepEqual(contributed.map(c => c.command).sort(), Object.values(Commands).sort());
  });

  it('gives every command a title and a category', () => {
    for (const c of contributed) {
      assert.ok(c.title, `${c.command} has no title`);
      assert.ok(c.category, `${c.command} has no category`);
    }
  });

  it('contributes the view container and views of ids.ts, with a welcome for each view', () => {
    const containers = manifest.contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id);
    assert.deepEqual(containers, Object.values(ViewContainers));
    const views = Object.values(manifest.contributes.views as Record<string, { id: string }[]>)
      .flat()
      .map(v => v.id);
    assert.deepEqual(views.sort(), Object.values(Views).sort());
    const welcomed = manifest.contributes.viewsWelcome.map((w: { view: string }) => w.view);
    for (const v of views) assert.ok(welcomed.includes(v), `${v} has no viewsWelcome entry`);
  });

  it('names only commands it contributes in menus, keybindings and welcome links', () => {
    const known = new Set(contributed.map(c => c.command));
    const menus = Object.values(manifest.contributes.menus ?? {}) as { command: string }[][];
    for (const item of menus.flat()) assert.ok(known.has(item.command), `menu names unknown command ${item.command}`);
    for (const k of manifest.contributes.keybindings ?? [])
      assert.ok(known.has(k.command), `keybinding names unknown command ${k.command}`);
    const text = JSON.stringify(nls);
    for (const m of text.matchAll(/command:(aiProvenance\.[A-Za-z]+)/g))
      assert.ok(known.has(m[1]!), `a welcome link names unknown command ${m[1]}`);
  });

  it('resolves every %key% placeholder from package.nls.json, and has no unused keys', () => {
    const used = new Set([...JSON.stringify(manifest).matchAll(/"%([^%"]+)%"/g)].map(m => m[1]!));
    for (const key of used) assert.ok(key in nls, `package.nls.json lacks ${key}`);
    for (const key of Object.keys(nls)) assert.ok(used.has(key), `package.nls.json key ${key} is not used`);
  });

  it('has walkthroughs whose steps show a shipped markdown file and complete on commands it contributes', () => {
    const known = new Set(contributed.map(c => c.command));
    const walkthroughs: {
      id: string;
      steps: { id: string; media: { markdown?: string }; completionEvents?: string[] }[];
    }[] = manifest.contributes.walkthroughs;
    assert.deepEqual(
      walkthroughs.map(w => w.id),
      ['aiProvenance.developer', 'aiProvenance.senior'],
    );
    const shipped = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    for (const step of walkthroughs.flatMap(w => w.steps)) {
      const media = step.media.markdown;
      assert.ok(media && fs.existsSync(path.join(root, media)), `${step.id}: no markdown file ${media}`);
      assert.ok(shipped.includes(`!${path.dirname(media)}/*.md`), `${media} is not shipped (.vscodeignore)`);
      assert.ok(step.completionEvents?.length, `${step.id} never completes`);
      for (const event of step.completionEvents) {
        const m = /^onCommand:(.+)$/.exec(event);
        assert.ok(m && known.has(m[1]!), `${step.id}: ${event} is not a command of ours`);
      }
    }
  });

  it('keeps contributes in the conventional order and activates lazily', () => {
    const order = ['configuration', 'commands', 'menus', 'keybindings', 'viewsContainers', 'views', 'viewsWelcome'];
    const present = Object.keys(manifest.contributes).filter(k => order.includes(k));
    assert.deepEqual(
      present,
      order.filter(k => present.includes(k)),
    );
    assert.ok(!manifest.activationEvents.includes('*'), 'activationEvents must not be "*"');
  });

  it('declares the lowest VS Code the e2e tests run against, and matching API types', () => {
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.equal(manifest.devDependencies['@types/vscode'], '1.100.0');
  });

  it('ships the CLI as the ai-provenance bin and the bundle as main', () => {
    assert.equal(manifest.bin['ai-provenance'], 'dist/cli.js');
    assert.equal(manifest.main, './dist/extension.js');
  });
});
