/** Names that other tools, scripts and tests rely on (docs/architecture.md). One place, so they never drift. */
export const PRODUCT = {
  /** The CLI's name and the npm package name. */
  cli: 'ai-provenance',
  displayName: 'AI Provenance',
  /** Folder under `git rev-parse --git-path` that holds per-worktree local state. */
  stateDirName: 'ai-provenance',
  /** Repository policy folder (committed). */
  policyDir: '.ai-provenance',
  notesRef: 'refs/notes/ai-provenance',
} as const;
