// Mocha reporter: the usual spec output, plus the run's counts appended as one JSON line to the file named by
// AI_PROVENANCE_TEST_COUNTS (scripts/test.mjs adds the layers up into one closing line).
const fs = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.AI_PROVENANCE_TEST_COUNTS;
      if (!file) return;
      const { passes, failures, pending } = this.stats;
      fs.appendFileSync(
        file,
        JSON.stringify({ layer: process.env.AI_PROVENANCE_TEST_LAYER ?? 'mocha', passes, failures, pending }) + '\n',
      );
    });
  }
}
module.exports = CountingReporter;
