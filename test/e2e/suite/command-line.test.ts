import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/platform/ids';
import { activeExtension, waitFor } from './util';

const run = promisify(execFile);

describe('the ai-provenance command for terminals', () => {
  const version = (): string => vscode.extensions.getExtension('ai-provenance.ai-provenance')!.packageJSON.version;

  it('is on PATH in VS Code’s integrated terminals, running the CLI bundled with the extension', async function () {
    this.timeout(90000);
    await activeExtension();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-terminal-'));
    let attempt = 0;
    let text = '';
    // The extension puts its folder on the terminals' PATH just after activation: a terminal opened before that
    // does not have it, so open another until one does (or time out).
    await waitFor(
      async () => {
        const out = path.join(dir, `out-${++attempt}.txt`);
        const terminal = vscode.window.createTerminal({
          name: `ai-provenance PATH ${attempt}`,
          shellPath: '/bin/sh',
          shellArgs: ['-c', `{ command -v ai-provenance; ai-provenance --version; echo "exit $?"; } > '${out}' 2>&1`],
        });
        try {
          await waitFor(
            () => fs.existsSync(out) && /exit \d+\n$/.test(fs.readFileSync(out, 'utf8')),
            'the terminal',
            15000,
          );
        } finally {
          terminal.dispose();
        }
        text = fs.readFileSync(out, 'utf8');
        return text.endsWith('exit 0\n');
      },
      'a terminal that finds ai-provenance',
      75000,
    );
    const [found, printed] = text.split('\n');
    assert.match(found!, /\/bin\/ai-provenance$/);
    assert.ok(found!.includes('ai-provenance.ai-provenance'), `not the extension's own command: ${found}`);
    assert.equal(printed, version());
  });

  it('installs a link for other terminals on request, and never replaces a file that is not its link', async () => {
    await activeExtension();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bin-'));
    const link = await vscode.commands.executeCommand<string | undefined>(Commands.installCommandLine, {
      confirm: false,
      dir,
    });
    assert.equal(link, path.join(dir, 'ai-provenance'));
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    const { stdout } = await run(link, ['--version'], { env: { ...process.env, PATH: '/usr/bin:/bin' } });
    assert.equal(stdout.trim(), version());
    // Again: the link is ours, and stays.
    assert.equal(await vscode.commands.executeCommand(Commands.installCommandLine, { confirm: false, dir }), link);

    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bin-'));
    fs.writeFileSync(path.join(other, 'ai-provenance'), '#!/bin/sh\necho someone else\n', { mode: 0o755 });
    const refused = await vscode.commands.executeCommand(Commands.installCommandLine, { confirm: false, dir: other });
    assert.equal(refused, undefined);
    assert.equal(fs.readFileSync(path.join(other, 'ai-provenance'), 'utf8'), '#!/bin/sh\necho someone else\n');
  });
});
