import * as vscode from 'vscode';
import { TOOLS, type Tool } from '../../core/attribution/origin';
import { Disposable } from './lifecycle';

/** Every setting the extension reads, typed, in one place (package.json contributes the same keys). */
export const SettingKeys = {
  decorations: 'aiProvenance.decorations.enabled',
  statusBar: 'aiProvenance.statusBar.enabled',
  tool: 'aiProvenance.inlineSuggestionTool',
  shadowAcceptCommands: 'aiProvenance.shadowAcceptCommands',
  baseBranch: 'aiProvenance.baseBranch',
  githubApiUrl: 'aiProvenance.github.apiUrl',
  githubAuthProvider: 'aiProvenance.github.authenticationProvider',
  gitlabApiUrl: 'aiProvenance.gitlab.apiUrl',
} as const;

export interface SettingsValues {
  decorations: boolean;
  statusBar: boolean;
  /** The tool inline suggestion accepts are attributed to; `auto` guesses from the installed AI extension. */
  tool: Tool | 'auto';
  /** Also catch accepts from the ghost text toolbar and menus by shadowing VS Code's accept command ids. */
  shadowAcceptCommands: boolean;
  /** The branch AI changes are reviewed against; empty: the upstream's default branch. */
  baseBranch: string;
  githubApiUrl: string;
  githubAuthProvider: string;
  gitlabApiUrl: string;
}

export class Settings extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<SettingsValues>());
  readonly onDidChange = this.changed.event;
  private current: SettingsValues;

  constructor() {
    super();
    this.current = Settings.read();
    this.register(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (!e.affectsConfiguration('aiProvenance')) return;
        this.current = Settings.read();
        this.changed.fire(this.current);
      }),
    );
  }

  get values(): SettingsValues {
    return this.current;
  }

  private static read(): SettingsValues {
    const c = vscode.workspace.getConfiguration();
    const tool = c.get<string>(SettingKeys.tool, 'auto');
    return {
      decorations: c.get<boolean>(SettingKeys.decorations, true),
      statusBar: c.get<boolean>(SettingKeys.statusBar, true),
      tool: (TOOLS as readonly string[]).includes(tool) ? (tool as Tool) : 'auto',
      shadowAcceptCommands: c.get<boolean>(SettingKeys.shadowAcceptCommands, false),
      baseBranch: c.get<string>(SettingKeys.baseBranch, '').trim(),
      githubApiUrl: c.get<string>(SettingKeys.githubApiUrl, 'https://api.github.com'),
      githubAuthProvider: c.get<string>(SettingKeys.githubAuthProvider, 'github'),
      gitlabApiUrl: c.get<string>(SettingKeys.gitlabApiUrl, 'https://gitlab.com/api/v4'),
    };
  }
}
