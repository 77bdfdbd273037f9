/**
 * Four suites: unit (pure logic), api (supertest over a real database), e2e (real Chromium),
 * stress (the real server process killed, restarted, loaded and soaked: npm run test:stress).
 */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] };
// Tile decoders ship as ES modules only; let swc turn them into CommonJS for Jest.
const transformIgnorePatterns = [
  '/node_modules/(?!(@mapbox/vector-tile|@mapbox/point-geometry|pbf|flatgeobuf|hyparquet|hyparquet-writer)/)',
];
const common = {
  transform,
  transformIgnorePatterns,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'api',
      testMatch: ['<rootDir>/tests/api/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/api/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/api/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/e2e/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/e2e/support/global-teardown.ts',
    },
    { ...common, displayName: 'stress', testMatch: ['<rootDir>/tests/stress/**/*.test.ts'] },
  ],
};
