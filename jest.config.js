/** @type {import('jest').Config} */
module.exports = {
  // Removes what each test file made in the temp directory; the suite runs in its own TMPDIR, checked empty at the end.
  testEnvironment: '<rootDir>/__tests__/support/jest-environment.js',
  globalSetup: '<rootDir>/__tests__/support/jest-global-setup.js',
  globalTeardown: '<rootDir>/__tests__/support/jest-global-teardown.js',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  setupFiles: ['<rootDir>/__tests__/support/jest-env.js'],
  // The IAM proof runs inside each scenario file (__tests__/iam/scenarios.ts); its union checks in globalTeardown.
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/iam-proof.ts'],
  // Outside the suite's TMPDIR (checked empty at the end); jest would otherwise put its cache there.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  // Most suites wait on child processes and loopback servers, not the CPU: three workers finish a two-core
  // machine's run in about 5½ minutes instead of 8 with jest's default of cores − 1.
  maxWorkers: 3,
  testTimeout: 60000,
};
