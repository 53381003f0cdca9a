import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { PRODUCT } from '../../core/product';
import { shQuote } from '../../io/git/hooks';
import { writeFileAtomicSync } from '../../io/store/atomic-file';

/** The npm package of the command line tool, for people who want it outside VS Code without the extension. */
const NPM_INSTALL = `npm install -g ${PRODUCT.npmPackage}`;

/** The script that runs the bundled CLI with the editor's own runtime: the name a terminal finds on PATH. */
export function commandScript(node: string, cli: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    // cmd.exe expands %VAR% even inside quotes: a literal percent sign is doubled.
    const q = (value: string): string => `"${value.replace(/%/g, '%%')}"`;
    // setlocal: the variable must not stay set in the person's cmd.exe session (Electron apps started there later).
    return `@echo off\r\nsetlocal\r\nset ELECTRON_RUN_AS_NODE=1\r\n${q(node)} ${q(cli)} %*\r\n`;
  }
  return `#!/bin/sh
# The ${PRODUCT.cli} command of the ${PRODUCT.displayName} VS Code extension: the CLI bundled with it, run by the
# editor's own runtime. The extension rewrites this file on every start, so it follows updates.
node=${shQuote(node)}
cli=${shQuote(cli)}
if [ ! -f "$cli" ]; then
  echo "${PRODUCT.cli}: the ${PRODUCT.displayName} extension that installed this command is gone ($cli): open VS Code to update it, or install the CLI with: ${NPM_INSTALL}" >&2
  exit 3
fi
[ -x "$node" ] || node=$(command -v node) || { echo "${PRODUCT.cli}: no runtime to run $cli: open VS Code once, or install Node.js" >&2; exit 3; }
ELECTRON_RUN_AS_NODE=1 exec "$node" "$cli" "$@"
`;
}

/** Where `Install Command for Other Terminals` puts the link: a folder on most shells' PATH, the person's own. */
export function userBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.HOME ?? os.homedir(), '.local', 'bin');
}

/**
 * The `ai-provenance` command for the person's terminals (docs/architecture.md). VS Code's integrated terminals get
 * it on PATH through the extension's environment variable collection (appended, so a CLI the person installed
 * themselves comes first); other terminals get it only when the person asks, as a link in ~/.local/bin.
 */
export class CommandLine {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
  ) {}

  /** The folder that holds the command script. */
  get binDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'bin');
  }

  get scriptPath(): string {
    return path.join(this.binDir, process.platform === 'win32' ? `${PRODUCT.cli}.cmd` : PRODUCT.cli);
  }

  /** Writes the command script (when it changed) and puts its folder on the integrated terminals' PATH. */
  ensure(): void {
    const text = commandScript(process.execPath, path.join(this.context.extensionPath, 'dist', 'cli.js'));
    try {
      let current: string | undefined;
      try {
        current = fs.readFileSync(this.scriptPath, 'utf8');
      } catch {
        current = undefined;
      }
      if (current !== text) {
        fs.mkdirSync(this.binDir, { recursive: true });
        writeFileAtomicSync(this.scriptPath, text, { mode: 0o755 });
      }
    } catch (error) {
      this.logger.warn(`could not write the ${PRODUCT.cli} command for the terminals: ${(error as Error).message}`);
      return;
    }
    const collection = this.context.environmentVariableCollection;
    collection.description = vscode.l10n.t('Adds the {0} command line tool to PATH.', PRODUCT.cli);
    collection.append('PATH', `${path.delimiter}${this.binDir}`);
  }

  /** Whether a terminal outside VS Code finds the command: on the editor's own PATH, or linked by us. */
  onOtherTerminalsPath(env: NodeJS.ProcessEnv = process.env): boolean {
    const dirs = (env.PATH ?? '').split(path.delimiter).filter(d => d && path.resolve(d) !== this.binDir);
    const names = process.platform === 'win32' ? [`${PRODUCT.cli}.cmd`, `${PRODUCT.cli}.exe`] : [PRODUCT.cli];
    return dirs.some(d => names.some(n => fs.existsSync(path.join(d, n))));
  }

  /**
   * Links ~/.local/bin/ai-provenance to the command script, after the person agreed (`confirm: false` is for
   * callers that asked already). Never replaces a file that is not our link.
   */
  async installForOtherTerminals(options: { confirm?: boolean; dir?: string } = {}): Promise<string | undefined> {
    if (process.platform === 'win32') {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('For terminals outside VS Code on Windows, install the command line tool with: {0}', NPM_INSTALL),
      );
      return undefined;
    }
    this.ensure();
    const dir = options.dir ?? userBinDir();
    const link = path.join(dir, PRODUCT.cli);
    if (options.confirm !== false) {
      const install = vscode.l10n.t('Install');
      const answer = await vscode.window.showInformationMessage(
        vscode.l10n.t('Install the {0} command for terminals outside VS Code?', PRODUCT.cli),
        {
          modal: true,
          detail: vscode.l10n.t(
            'This adds a link {0} to the command line tool bundled with this extension. Nothing else changes; delete the link to undo. Without VS Code you can instead run: {1}',
            link,
            NPM_INSTALL,
          ),
        },
        install,
      );
      if (answer !== install) return undefined;
    }
    try {
      let existing: fs.Stats | undefined;
      try {
        existing = fs.lstatSync(link);
      } catch {
        existing = undefined;
      }
      if (existing) {
        const ours = existing.isSymbolicLink() && path.resolve(dir, fs.readlinkSync(link)) === this.scriptPath;
        if (!ours) {
          void vscode.window.showWarningMessage(
            vscode.l10n.t(
              '{0} already exists and is not the link AI Provenance makes; it is left as it is. Remove it first to install the link.',
              link,
            ),
          );
          return undefined;
        }
      } else {
        fs.mkdirSync(dir, { recursive: true });
        fs.symlinkSync(this.scriptPath, link);
      }
    } catch (error) {
      this.logger.error(error as Error);
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Could not install the {0} command: {1}. Fix that and run the command again, or install the tool with: {2}',
          PRODUCT.cli,
          (error as Error).message,
          NPM_INSTALL,
        ),
      );
      return undefined;
    }
    const onPath = (process.env.PATH ?? '').split(path.delimiter).some(d => d && path.resolve(d) === path.resolve(dir));
    void vscode.window.showInformationMessage(
      onPath
        ? vscode.l10n.t('Installed {0}: terminals outside VS Code now find {1}.', link, PRODUCT.cli)
        : vscode.l10n.t(
            'Installed {0}. {1} is not on your PATH yet: add export PATH="{1}:$PATH" to your shell profile.',
            link,
            dir,
          ),
    );
    return link;
  }

  /** Says the git hooks are installed, and offers the command for other terminals when none has it yet. */
  async announceHooksInstalled(root: string): Promise<void> {
    const message = vscode.l10n.t('AI Provenance git hooks installed in {0}.', path.basename(root));
    if (process.platform === 'win32' || this.onOtherTerminalsPath()) {
      void vscode.window.showInformationMessage(message);
      return;
    }
    const offer = vscode.l10n.t('Install Command for Other Terminals');
    const answer = await vscode.window.showInformationMessage(
      `${message} ${vscode.l10n.t('VS Code terminals have the {0} command; other terminals can have it too.', PRODUCT.cli)}`,
      offer,
    );
    if (answer === offer) await this.installForOtherTerminals({ confirm: false });
  }
}
