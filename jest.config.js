/** Jest runs TypeScript through ts-jest; one embedded PostgreSQL per run is started in globalSetup. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/src", "<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }] },
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  setupFiles: ["reflect-metadata", "<rootDir>/test/support/english.ts"],
  testTimeout: 60000,
  maxWorkers: 2,
  // a worker that has grown past this after a test file is replaced: ts-jest and the ESM loader keep every
  // file's modules, and the suite has ~100 files
  workerIdleMemoryLimit: "1GB",
};
