const path = require('node:path');

// The IAM proof's run id (iam-proof-union.ts) only for this repository's own suite, not a nested jest a test starts.
module.exports = async (globalConfig) => {
  require('./jest-tmpdir').setup();
  if (path.resolve(globalConfig.rootDir) === path.resolve(__dirname, '..', '..')) require('./iam-proof-union').startRun();
};
