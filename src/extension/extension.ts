import * as vscode from 'vscode';
import { Commands, ViewContainers, type CommandId } from './ids';
import { createLogger } from './logger';
import { NeedsSignoffView } from './needsSignoffView';

/** What activate() returns: used by the e2e tests, and by other extensions that want to read provenance. */
export interface AiProvenanceApi {
  readonly version: string;
}

/** The composition root: build the services in order, hand every disposable to VS Code, return. */
export function activate(context: vscode.ExtensionContext): AiProvenanceApi {
  const { logger, channel } = createLogger();
  context.subscriptions.push(channel);
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  logger.info(`AI Provenance ${version} activating (VS Code ${vscode.version}, ${vscode.env.appName})`);

  const view = new NeedsSignoffView(logger);
  context.subscriptions.push(view);

  // Typed as a complete record over CommandId, so a command constant without a handler does not compile.
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [Commands.showLog]: () => channel.show(),
    [Commands.refresh]: () => view.refresh(),
    [Commands.openSidebar]: () => vscode.commands.executeCommand(`workbench.view.extension.${ViewContainers.main}`),
  };
  for (const [id, handler] of Object.entries(handlers)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }

  logger.info('AI Provenance activated');
  return { version };
}

export function deactivate(): void {
  // Nothing pending to flush yet: later state writers return their flush promise from here.
}
