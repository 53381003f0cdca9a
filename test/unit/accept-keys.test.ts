import * as assert from 'node:assert/strict';
import { acceptKeyFeatures, effectiveCondition, parseDefaultKeybindings } from '../../src/core/accept-keys';

const OLD_TAB =
  'inlineEditIsVisible && tabShouldAcceptInlineEdit && !editorHoverFocused && !editorTabMovesFocus && !suggestWidgetVisible || inlineSuggestionHasIndentationLessThanTabSize && inlineSuggestionVisible && !editorHoverFocused && !editorTabMovesFocus && !suggestWidgetVisible || inlineEditIsVisible && inlineSuggestionHasIndentationLessThanTabSize && inlineSuggestionVisible && !editorHoverFocused && !editorTabMovesFocus && !suggestWidgetVisible';
const NEW_TAB =
  'inlineEditIsVisible && tabShouldAcceptInlineEdit && !editorHoverFocused && !editorTabMovesFocus && !suggestWidgetVisible || inlineSuggestionHasIndentationLessThanTabSize && inlineSuggestionVisible && !editor.hasSelection && !editorHoverFocused && !editorTabMovesFocus && !suggestWidgetVisible';

const file = (tab: string, word: string) =>
  `// Overrides\n[\n{ "key": "tab", "command": "editor.action.inlineSuggest.commit",\n  "when": "${tab}" },\n// a comment line\n{ "key": "ctrl+right", "command": "editor.action.inlineSuggest.acceptNextWord", "when": "${word}" }\n]\n// Here are other available commands:\n// - editor.action.foo\n`;

describe('accept keys (src/core/accept-keys.ts)', () => {
  it("reads VS Code's default keybindings file and says which conditions its accept keys have", () => {
    const old = parseDefaultKeybindings(file(OLD_TAB, 'inlineSuggestionVisible && !editorReadonly'));
    assert.equal(old.length, 2);
    assert.deepEqual(acceptKeyFeatures(old), { tabSkipsSelection: false, nextWordNeedsCursorBeforeGhostText: false });
    const now = parseDefaultKeybindings(file(NEW_TAB, 'cursorBeforeGhostText && inlineSuggestionVisible'));
    assert.deepEqual(acceptKeyFeatures(now), { tabSkipsSelection: true, nextWordNeedsCursorBeforeGhostText: true });
    assert.throws(() => parseDefaultKeybindings('{ "not": "a list" }'), /not a list/);
    // A Mac window labels the keys for its platform, whatever the extension host runs on.
    const mac = parseDefaultKeybindings(
      file(NEW_TAB, 'cursorBeforeGhostText && inlineSuggestionVisible').replace('ctrl+right', 'cmd+right'),
    );
    assert.deepEqual(acceptKeyFeatures(mac), { tabSkipsSelection: true, nextWordNeedsCursorBeforeGhostText: true });
    // A literal counts only in the clause that accepts a visible suggestion (not another extension's binding).
    const elsewhere = parseDefaultKeybindings(
      file(OLD_TAB, 'inlineSuggestionVisible && !editorReadonly || someOtherContext && cursorBeforeGhostText'),
    );
    assert.equal(acceptKeyFeatures(elsewhere)?.nextWordNeedsCursorBeforeGhostText, false);
    // No binding of an accept command: unreadable, never a guess.
    assert.equal(acceptKeyFeatures(parseDefaultKeybindings('[{ "key": "tab", "command": "tab" }]')), undefined);
  });

  it('compares conditions by meaning: our feature keys fixed, terms in any order, conjunctions another covers dropped', () => {
    const ours = [
      { key: 'tab', command: 'a', when: '!aiProvenance.tabSkipsSelection && x && y' },
      { key: 'tab', command: 'a', when: 'aiProvenance.tabSkipsSelection && y && x && !editor.hasSelection' },
      { key: 'tab', command: 'b', when: 'z' },
    ];
    const classic = { tabSkipsSelection: false, nextWordNeedsCursorBeforeGhostText: false };
    const skipping = { tabSkipsSelection: true, nextWordNeedsCursorBeforeGhostText: false };
    assert.deepEqual(effectiveCondition(ours, classic), ['x && y', 'z']);
    assert.deepEqual(effectiveCondition(ours, skipping), ['!editor.hasSelection && x && y', 'z']);
    assert.deepEqual(effectiveCondition([{ key: 'tab', command: 'c', when: 'y && x || z || x && y && w' }], classic), [
      'x && y',
      'z',
    ]);
    assert.notDeepEqual(
      effectiveCondition(ours, skipping),
      effectiveCondition([{ key: 'tab', command: 'c', when: 'x && y || z' }], skipping),
    );
  });
});
