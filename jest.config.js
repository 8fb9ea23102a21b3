// ESM + ts-jest: the test command sets NODE_OPTIONS=--experimental-vm-modules.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  // k9s against GoReleaser compiles Kubernetes' client for two targets: most of an hour cold on two
  // cores, so it runs on its own (npm run test:k9s), not in npm test.
  testPathIgnorePatterns: ['/node_modules/', '/__tests__/e2e/goreleaser-compare-k9s\\.test\\.ts$'],
  // e2e tests start real servers and Go toolchains; keep their logs readable.
  testTimeout: 300_000,
  maxWorkers: 2,
  verbose: true
}
