// One jest run, three kinds of test:
//   unit        *.spec.ts              pure code and services with fakes; no servers
//   integration *.integration-spec.ts  against the real Postgres, Kafka and Temporal (scripts/stack.sh)
// The lint and format check is a unit test too (tools/lint.spec.ts), so its result counts in the summary.
const moduleNameMapper = {
  '^@hotline/shared$': '<rootDir>/libs/shared/src/index.ts',
  '^@hotline/platform$': '<rootDir>/libs/platform/src/index.ts',
};
// @fastify/static (Swagger UI's file server) pulls in content-disposition 3, which is ESM only;
// jest on Node 20 cannot require ESM, so that one package is compiled to CommonJS for the tests.
const esmOnly = ['content-disposition'];
const transformIgnorePatterns = [`/node_modules/(?!(${esmOnly.join('|')})/)`];
const transform = {
  [`^.+/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: [
    'ts-jest',
    { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false },
  ],
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }],
};
const roots = [
  '<rootDir>/libs',
  '<rootDir>/services',
  '<rootDir>/workflows',
  '<rootDir>/tools',
  '<rootDir>/test',
];
const testPathIgnorePatterns = ['/node_modules/', '/dist/', '/.stack/'];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      roots,
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns,
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      roots,
      testMatch: ['**/*.integration-spec.ts'],
      testPathIgnorePatterns,
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup-integration.ts'],
    },
  ],
};
