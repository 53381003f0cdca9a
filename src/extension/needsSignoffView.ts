import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { Disposable } from './lifecycle';
import { Views } from './ids';

/** One row of the "Needs Sign-off" tree. Later issues add uncommitted files, AI hunks and commits. */
export interface SignoffNode {
  readonly id: string;
  readonly label: string;
  readonly children?: readonly SignoffNode[];
}

/**
 * The "Needs Sign-off" view: a thin provider over a model that emits changes. While the model is empty the
 * view's welcome content (package.json viewsWelcome) says what will appear here.
 */
export class NeedsSignoffView extends Disposable implements vscode.TreeDataProvider<SignoffNode> {
  private readonly changed = this.register(new vscode.EventEmitter<SignoffNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private roots: readonly SignoffNode[] = [];
  readonly treeView: vscode.TreeView<SignoffNode>;

  constructor(private readonly logger: Logger) {
    super();
    this.treeView = this.register(vscode.window.createTreeView(Views.needsSignoff, { treeDataProvider: this, showCollapseAll: true }));
  }

  setRoots(roots: readonly SignoffNode[]): void {
    this.roots = roots;
    this.refresh();
  }

  refresh(): void {
    this.logger.debug('needs sign-off view refreshed');
    this.changed.fire(undefined);
  }

  getTreeItem(node: SignoffNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.label,
      node.children?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    return item;
  }

  getChildren(node?: SignoffNode): SignoffNode[] {
    return [...(node ? (node.children ?? []) : this.roots)];
  }
}
