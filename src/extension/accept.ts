import * as vscode from 'vscode';
import type { AcceptKind } from '../core/events';
import type { Logger } from '../core/log';
import type { Tool } from '../core/origin';
import { ProvenanceTracker } from './tracker';

/**
 * AI extensions we can recognise, by extension id. The inline completion API does not say which provider a
 * suggestion came from, so the installed AI extension is recorded as a hint; with none, or several, the tool is
 * `ai` (an AI we cannot name).
 */
const KNOWN_AI_EXTENSIONS: readonly [string, Tool][] = [
  ['github.copilot', 'copilot'],
  ['github.copilot-chat', 'copilot'],
  ['continue.continue', 'continue'],
  ['saoudrizwan.claude-dev', 'cline'],
  ['anthropic.claude-code', 'claude-code'],
  ['openai.chatgpt', 'codex'],
  ['google.geminicodeassist', 'gemini-cli'],
];

export function detectTool(): Tool {
  const found = new Set<Tool>();
  for (const ext of vscode.extensions.all) {
    const tool = KNOWN_AI_EXTENSIONS.find(([id]) => id === ext.id.toLowerCase())?.[1];
    if (tool) found.add(tool);
  }
  return found.size === 1 ? [...found][0]! : 'ai';
}

const BUILTIN: Record<AcceptKind, string> = {
  inline: 'editor.action.inlineSuggest.commit',
  word: 'editor.action.inlineSuggest.acceptNextWord',
  line: 'editor.action.inlineSuggest.acceptNextLine',
  nes: 'editor.action.inlineSuggest.commit',
};

/**
 * Runs VS Code's own accept command and attributes the edit it makes. Our keybindings use VS Code's own `when`
 * clauses, so Tab reaches us only when VS Code would accept; the edit is recognised by the document's next
 * change event (we wait for it by document version, not by the command's return value).
 */
export async function acceptSuggestion(kind: AcceptKind, tracker: ProvenanceTracker, tool: () => Tool, logger: Logger): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !ProvenanceTracker.trackable(editor.document)) {
    await vscode.commands.executeCommand(BUILTIN[kind]);
    return;
  }
  const outcome = tracker.expectAccept(editor.document, { t: 'accept', kind, tool: tool() });
  await vscode.commands.executeCommand(BUILTIN[kind]);
  const accepted = await outcome;
  logger.debug(`${BUILTIN[kind]}: ${accepted ? 'accepted text attributed to AI' : 'no edit followed (nothing accepted, or a jump)'}`);
}

