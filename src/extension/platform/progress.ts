import * as vscode from 'vscode';
import { SingleFlight } from './single-flight';

export interface ExclusiveOptions {
  /** The command as the person knows it ("Sign Off"): what the second click is told is already running. */
  name: string;
  /** What the progress says while it runs ("Signing off…"). */
  title: string;
  /** A view to show the progress in too (the Needs Sign-off view's bar), for commands run from it. */
  view?: string;
  /** Tell a second click that the command runs already (default); off for commands that only refresh. */
  notifyBusy?: boolean;
}

/**
 * The commands that run git or ssh-keygen: each shows its progress (a spinner in the status bar for the whole
 * command, dialogs included, and the view's progress bar when it belongs to a view) and runs once at a time. A
 * second invocation while one runs (a double click) starts nothing: it joins the first and gets its result, and
 * the person is told it is already running.
 */
export class ExclusiveCommands {
  private readonly flights = new SingleFlight();

  /** `handler` as a command that shows progress and runs once at a time under `key`. */
  wrap<A extends unknown[], R>(
    key: string,
    options: ExclusiveOptions,
    handler: (...args: A) => R | Promise<R>,
  ): (...args: A) => Promise<R> {
    return (...args: A) =>
      this.flights.run(
        key,
        () => withProgress(options, () => handler(...args)),
        () => {
          if (options.notifyBusy === false) return;
          void vscode.window.showInformationMessage(
            vscode.l10n.t('{0} is already running: this waits for it instead of starting it again.', options.name),
          );
        },
      );
  }
}

/** Runs `work` with progress in the status bar (and in `options.view` when given). */
export function withProgress<R>(
  options: Pick<ExclusiveOptions, 'title' | 'view'>,
  work: () => R | Promise<R>,
): Promise<R> {
  const inWindow = (): Promise<R> =>
    Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: options.title },
        async () => await work(),
      ),
    );
  if (!options.view) return inWindow();
  const viewId = options.view;
  return Promise.resolve(vscode.window.withProgress({ location: { viewId } }, inWindow));
}
