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
import { withProgress } from '../platform/progress';
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

  private readonly missingChanged = this.register(new vscode.EventEmitter<readonly string[]>());
  /** Fires with the repositories (roots) whose git hooks are missing and that nobody said never to. */
  readonly onDidChangeMissing = this.missingChanged.event;
  private missingRoots: readonly string[] = [];
  /** How many installs have started: a check that overlaps one does not put its repository back on the list. */
  private installs = 0;

  /** The repositories whose hooks are missing and that nobody said never to, as last checked. */
  get missing(): readonly string[] {
    return this.missingRoots;
  }

  private setMissing(roots: readonly string[]): void {
    const next = [...new Set(roots)].sort();
    if (next.join('\0') === this.missingRoots.join('\0')) return;
    this.missingRoots = next;
    this.missingChanged.fire(next);
  }

  /**
   * Checks again, without asking or installing, which of `folders`' repositories lack our hooks (someone ran
   * `hooks uninstall`, a hook manager wrote its files again): what the status bar item shows.
   */
  async refreshMissing(folders: readonly string[]): Promise<void> {
    const installs = this.installs;
    const missing: string[] = [];
    for (const folder of folders) {
      const location = await locateRepository(folder).catch(() => undefined);
      if (!location || this.context.globalState.get<Consent>(this.key(location.root)) === 'declined') continue;
      if (await this.lacksHooks(location)) missing.push(location.root);
    }
    // An install that ran meanwhile took its repository off the list: what was read before it is out of date.
    if (installs !== this.installs) return;
    this.setMissing(missing);
  }

  /** Whether one of the hooks we manage has no block of ours (a hook that is not a shell script does not count). */
  private async lacksHooks(location: RepositoryLocation): Promise<boolean> {
    const { dir } = await hooksLocation(location.root);
    return MANAGED_HOOKS.some(h => hookStatus(dir, h, launcherPath()).state === 'missing');
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
    this.installs++;
    const launcher = writeLauncher(this.launcherTarget());
    const { dir } = await hooksLocation(location.root);
    for (const hook of MANAGED_HOOKS) installHook(dir, hook, launcher);
    await ensureNotesRewrite(location.root);
    await this.context.globalState.update(this.key(location.root), 'installed' satisfies Consent);
    this.logger.info(`git hooks installed in ${dir}`);
    this.setMissing(this.missingRoots.filter(r => r !== location.root));
    return location;
  }

  /** On start, for each workspace folder in a repository: keep installed hooks current, or ask once. */
  async check(folders: readonly string[]): Promise<void> {
    const missing: string[] = [];
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
      // Until the person answers (the prompt slips into the notification centre in seconds), the status bar says so.
      missing.push(location.root);
      void this.ask(location);
    }
    this.setMissing(missing);
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
        await withProgress({ title: vscode.l10n.t('Installing the git hooks…') }, () => this.install(location.root));
        void this.announceInstalled(location.root);
      } catch (error) {
        this.logger.error(error as Error);
        void vscode.window.showErrorMessage(
          vscode.l10n.t(
            'Could not install the git hooks: {0}. Fix that, then run Install Git Hooks again (Show Log has the details).',
            (error as Error).message,
          ),
        );
      }
    } else if (answer === never) {
      await this.context.globalState.update(this.key(location.root), 'declined' satisfies Consent);
      this.setMissing(this.missingRoots.filter(r => r !== location.root));
    }
  }
}
