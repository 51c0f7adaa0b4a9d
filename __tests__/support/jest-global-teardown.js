const path = require('node:path');

// The IAM proof's union checks (iam-proof-union.ts) run only for this repository's own suite, not a nested jest a
// test starts (temp-litter.test.ts). Jest transpiles the TypeScript required while this hook runs.
module.exports = async (globalConfig) => {
  let failure;
  try {
    if (path.resolve(globalConfig.rootDir) === path.resolve(__dirname, '..', '..')) require('./iam-proof-union').finishRun();
  } catch (error) {
    failure = error;
  }
  require('./jest-tmpdir').teardown();
  if (failure) throw failure;
};
