import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import {
  ensureNotesRewrite,
  hookStatus,
  hooksLocation,
  installHook,
  launcherPath,
  MANAGED_HOOKS,
  writeLauncher,
} from '../../io/git/hooks';
import { locateRepository, type RepositoryLocation } from '../../io/git/repository';
import { Disposable } from '../platform/lifecycle';
import { SingleFlight } from '../platform/single-flight';

type Consent = 'installed' | 'declined';

/**
 * The git hooks, from the editor (docs/commits.md): asked once per repository, with an explanation, never
 * installed silently. Once a person said yes, the extension keeps them working: it points the launcher at its
 * own CLI on every start (so updates and a GUI-launched VS Code without `node` on PATH keep working) and puts
 * our block back where a tool such as husky regenerated the hook files.
 */
export class GitHooksSetup extends Disposable {
  private readonly installing = new SingleFlight();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
    /** Tells the person the hooks are installed (and what else they may want). */
    private readonly announceInstalled: (root: string) => Promise<void>,
  ) {
    super();
  }

  private key(root: string): string {
    return `aiProvenance.hooksConsent:${root}`;
  }

  /** The CLI bundled with this extension, run by the extension host's own runtime. */
  launcherTarget(): { node: string; cli: string } {
    return { node: process.execPath, cli: path.join(this.context.extensionPath, 'dist', 'cli.js') };
  }

  /**
   * Installs into the repository of `folder` (the command, the status bar item, or a "yes" to the prompt), once at
   * a time per repository: a second call while one installs joins it.
   */
  async install(folder: string): Promise<RepositoryLocation> {
    const location = await locateRepository(folder);
    return this.installing.run(location.root, () => this.installIn(location));
  }

  private async installIn(location: RepositoryLocation): Promise<RepositoryLocation> {
    const launcher = writeLauncher(this.launcherTarget());
    const { dir } = await hooksLocation(location.root);
    for (const hook of MANAGED_HOOKS) installHook(dir, hook, launcher);
    await ensureNotesRewrite(location.root);
    await this.context.globalState.update(this.key(location.root), 'installed' satisfies Consent);
    this.logger.info(`git hooks installed in ${dir}`);
    return location;
  }

  /** On start, for each workspace folder in a repository: keep installed hooks current, or ask once. */
  async check(folders: readonly string[]): Promise<void> {
    for (const folder of folders) {
      let location: RepositoryLocation;
      try {
        location = await locateRepository(folder);
      } catch {
        continue;
      }
      const consent = this.context.globalState.get<Consent>(this.key(location.root));
      if (consent === 'declined') continue;
      const { dir } = await hooksLocation(location.root);
      const launcher = launcherPath();
      const states = MANAGED_HOOKS.map(h => hookStatus(dir, h, launcher));
      if (consent === 'installed' || states.some(s => s.state === 'installed' || s.state === 'outdated')) {
        writeLauncher(this.launcherTarget());
        for (const s of states)
          if (s.state !== 'installed' && s.state !== 'foreign') installHook(dir, s.hook, launcher);
        continue;
      }
      void this.ask(location);
    }
  }

  private async ask(location: RepositoryLocation): Promise<void> {
    const install = vscode.l10n.t('Install Git Hooks');
    const never = vscode.l10n.t('Not for This Repository');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'AI Provenance can write which lines AI wrote into your commits in {0}: Assisted-by and AI-Attribution trailers and a line-level git note. It adds a marked block to the git hooks; hooks you already have keep working, and nothing leaves your machine unless you push. Install the hooks?',
        path.basename(location.root),
      ),
      install,
      never,
    );
    if (answer === install) {
      try {
        await this.install(location.root);
        void this.announceInstalled(location.root);
      } catch (error) {
        this.logger.error(error as Error);
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Could not install the git hooks: {0}', (error as Error).message),
        );
      }
    } else if (answer === never) {
      await this.context.globalState.update(this.key(location.root), 'declined' satisfies Consent);
    }
  }
}
