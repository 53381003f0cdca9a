import * as vscode from 'vscode';
import {
  ACCEPT_KEY_CONTEXT,
  acceptKeyFeatures,
  parseDefaultKeybindings,
  type AcceptKeyFeatures,
} from '../../core/accept-keys';
import type { Logger } from '../../core/log';

/** What "Preferences: Open Default Keyboard Shortcuts (JSON)" shows, readable without showing it. */
const DEFAULT_KEYBINDINGS = 'vscode://defaultsettings/keybindings.json';

/**
 * Reads this VS Code's own accept keybindings and sets the context keys that pick ours (src/core/accept-keys.ts).
 * Until it has, and when it cannot, the keys are unset and our bindings follow VS Code 1.100's clauses.
 */
export async function detectAcceptKeys(logger: Logger): Promise<AcceptKeyFeatures | undefined> {
  const unread = (why: string): undefined => {
    logger.warn(
      `could not read VS Code's default keybindings (${why}): Tab and Ctrl+Right are taken over with VS Code 1.100's conditions`,
    );
    return undefined;
  };
  let features: AcceptKeyFeatures | undefined;
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(DEFAULT_KEYBINDINGS));
    features = acceptKeyFeatures(parseDefaultKeybindings(doc.getText()));
    if (!features) return unread('no Tab or Ctrl+Right binding of the accept commands in them');
    for (const [feature, key] of Object.entries(ACCEPT_KEY_CONTEXT))
      await vscode.commands.executeCommand('setContext', key, features[feature as keyof AcceptKeyFeatures]);
  } catch (error) {
    return unread(error instanceof Error ? error.message : String(error));
  }
  logger.info(`accept keys as this VS Code has them: ${JSON.stringify(features)}`);
  return features;
}
