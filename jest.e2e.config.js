// End-to-end tests against the real local sandbox (dockerd + registry). Run them inside the
// sandbox namespace: `npm run test:e2e` (sandbox/in-namespace.sh ... jest -c jest.e2e.config.js).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
  // One dockerd and one registry on [::1]:443 at a time.
  maxWorkers: 1,
};
