// `npm run test:unit`: the unit tests alone, in well under a minute, without what only the
// end-to-end tests need (docker.io, docker-registry, skopeo, qemu-user-static, root) and without
// the prerequisite check `npm test` runs first. What they run: Node 24 from node_modules, Go, git,
// tar, gzip, unzip/zipinfo, sha256sum; one test (dirhash) downloads a module through GOPROXY.
import base from './jest.config.js'

export default {
  ...base,
  testPathIgnorePatterns: [
    '/node_modules/',
    // The end-to-end tests: the committed bundle against local servers, a registry and a dockerd.
    '<rootDir>/__tests__/e2e/',
    // They start dockerd, docker-registry or qemu.
    '<rootDir>/__tests__/helpers/docker\\.test\\.ts$',
    '<rootDir>/__tests__/helpers/registry\\.test\\.ts$',
    '<rootDir>/__tests__/helpers/binary-format\\.test\\.ts$',
    '<rootDir>/__tests__/image/oci-layout\\.test\\.ts$',
    '<rootDir>/__tests__/image/push\\.test\\.ts$',
    '<rootDir>/__tests__/image/registry-client\\.test\\.ts$',
    // They compile the standard library into a cold build cache: a minute or more each on 2 cores
    // (the end-to-end helpers' Go archive, and trimBuildCache against real builds).
    '<rootDir>/__tests__/helpers/helpers\\.test\\.ts$',
    '<rootDir>/__tests__/cache/trim\\.test\\.ts$',
    // They build golangci-lint (5 minutes cold on 2 cores) or govulncheck through the module proxy
    // and lint or scan real modules; npm test runs them, sharing one build of each.
    '<rootDir>/__tests__/checks/golangci/(install|run|config-file)\\.test\\.ts$',
    '<rootDir>/__tests__/checks/vulncheck/run\\.test\\.ts$'
  ]
}
