// Mocha reporter: the usual spec output, plus the run's counts appended as one JSON line to the file named by
// AI_PROVENANCE_TEST_COUNTS (scripts/test.mjs adds the layers up into one closing line).
const fs = require('node:fs');
const Mocha = require('mocha');

function firstLines(err) {
  return String(err?.message ?? err ?? '')
    .split('\n')
    .slice(0, 4)
    .join('\n');
}

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.AI_PROVENANCE_TEST_COUNTS;
      if (!file) return;
      const { passes, failures, pending } = this.stats;
      // The failing tests' titles and first error lines, so the closing summary names them.
      const failed = this.failures.map(t => ({ title: t.fullTitle(), error: firstLines(t.err) }));
      fs.appendFileSync(
        file,
        JSON.stringify({ layer: process.env.AI_PROVENANCE_TEST_LAYER ?? 'mocha', passes, failures, pending, failed }) +
          '\n',
      );
    });
  }
}
module.exports = CountingReporter;
