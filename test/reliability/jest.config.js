/**
 * `npm run test:reliability`: the pre-release check on real PostgreSQL and Temporal (crashes, outages, hostile
 * files). Not part of the default `jest` run: its cases are slow and load the machine. Same global setup.
 */
module.exports = {
  testEnvironment: 'node',
  rootDir: '../..',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['<rootDir>/test/reliability/**/*.reliability.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 600000,
  maxWorkers: 1,
};
