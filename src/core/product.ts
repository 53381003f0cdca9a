/** Names that other tools, scripts and tests rely on (docs/architecture.md). One place, so they never drift. */
export const PRODUCT = {
  /** The CLI's command name. */
  cli: 'ai-provenance',
  /** The npm package that installs the CLI (`ai-provenance` on the registry is another project's). */
  npmPackage: 'ai-provenance-cli',
  /** The project's home (package.json homepage, without the fragment). */
  homepage: 'https://github.com/ai-provenance/ai-provenance',
  displayName: 'AI Provenance',
  /** Folder under `git rev-parse --git-path` that holds per-worktree local state. */
  stateDirName: 'ai-provenance',
  /** Repository policy folder (committed). */
  policyDir: '.ai-provenance',
  notesRef: 'refs/notes/ai-provenance',
} as const;
