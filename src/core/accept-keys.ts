/**
 * Which of VS Code's accept-key clauses this VS Code uses. The extension takes Tab and Ctrl+Right over from VS Code
 * to see accepts happen, so its keybindings must be active exactly when VS Code's own would be; VS Code changed
 * those clauses between versions (1.100: Tab accepts over a selection; later: a selection makes Tab indent, and
 * Ctrl+Right accepts a word only with the cursor before the ghost text). package.json holds one binding per known
 * clause, each guarded by a context key this module's answer sets: what VS Code itself says, not its version number.
 */

export interface AcceptKeyFeatures {
  /** Tab accepts an inline suggestion only without a selection (`!editor.hasSelection`). */
  tabSkipsSelection: boolean;
  /** Ctrl+Right accepts the next word only with the cursor before the ghost text (`cursorBeforeGhostText`). */
  nextWordNeedsCursorBeforeGhostText: boolean;
}

/** The context keys package.json's keybindings read, one per feature. */
export const ACCEPT_KEY_CONTEXT: Record<keyof AcceptKeyFeatures, string> = {
  tabSkipsSelection: 'aiProvenance.tabSkipsSelection',
  nextWordNeedsCursorBeforeGhostText: 'aiProvenance.nextWordNeedsCursorBeforeGhostText',
};

export interface Keybinding {
  key: string;
  command: string;
  when?: string;
}

/** VS Code's default keybindings file (a JSON array with full-line `//` comments), read leniently. */
export function parseDefaultKeybindings(text: string): Keybinding[] {
  const json = text
    .split('\n')
    .filter(line => !line.trimStart().startsWith('//'))
    .join('\n');
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) throw new Error('the default keybindings are not a list');
  return value.filter(
    (b): b is Keybinding =>
      typeof b === 'object' && b !== null && typeof b.key === 'string' && typeof b.command === 'string',
  );
}

/** A when clause as a set of conjunctions (VS Code prints its defaults as `a && b || c && d`, without brackets). */
export function whenTerms(when: string | undefined): string[][] {
  return (when ?? '').split('||').map(part =>
    part
      .split('&&')
      .map(t => t.trim())
      .filter(Boolean),
  );
}

/**
 * The keys each accept is bound to, as the defaults file labels them: for the platform of the window (a Mac
 * window shows Cmd+Right even when the extension host runs on Linux).
 */
export const ACCEPT_KEYS = {
  commit: { command: 'editor.action.inlineSuggest.commit', keys: ['tab'] },
  nextWord: { command: 'editor.action.inlineSuggest.acceptNextWord', keys: ['ctrl+right', 'cmd+right'] },
} as const;

/**
 * The features VS Code's own accept bindings show: a literal in the conjunction that accepts a visible suggestion
 * (the one with `inlineSuggestionVisible`). Undefined when VS Code binds none of the keys to the command: then the
 * bindings cannot be read, and the caller says so.
 */
export function acceptKeyFeatures(defaults: readonly Keybinding[]): AcceptKeyFeatures | undefined {
  const clauses = (accept: { command: string; keys: readonly string[] }): string[][] =>
    defaults
      .filter(b => b.command === accept.command && accept.keys.includes(b.key))
      .flatMap(b => whenTerms(b.when))
      .filter(c => c.includes('inlineSuggestionVisible'));
  const commit = clauses(ACCEPT_KEYS.commit);
  const nextWord = clauses(ACCEPT_KEYS.nextWord);
  if (commit.length === 0 || nextWord.length === 0) return undefined;
  return {
    tabSkipsSelection: commit.some(c => c.includes('!editor.hasSelection')),
    nextWordNeedsCursorBeforeGhostText: nextWord.some(c => c.includes('cursorBeforeGhostText')),
  };
}

/**
 * The condition under which bindings are active, as a minimal set of conjunctions (each sorted; none a superset of
 * another), with our own feature keys replaced by their values: comparable between our bindings and VS Code's.
 */
export function effectiveCondition(bindings: readonly Keybinding[], features: AcceptKeyFeatures): string[] {
  const values = new Map<string, boolean>();
  for (const [feature, key] of Object.entries(ACCEPT_KEY_CONTEXT))
    values.set(key, features[feature as keyof AcceptKeyFeatures]);
  const conjunctions: string[][] = [];
  for (const b of bindings)
    for (const terms of whenTerms(b.when)) {
      const kept: string[] = [];
      let possible = true;
      for (const t of terms) {
        const negated = t.startsWith('!');
        const value = values.get(negated ? t.slice(1).trim() : t);
        if (value === undefined) kept.push(t);
        else if (value === negated) possible = false;
      }
      if (possible) conjunctions.push([...new Set(kept)].sort());
    }
  const minimal = conjunctions.filter(
    (c, i) =>
      !conjunctions.some(
        (d, j) => j !== i && d.every(t => c.includes(t)) && (d.length < c.length || (d.length === c.length && j < i)),
      ),
  );
  return minimal.map(c => c.join(' && ')).sort();
}
