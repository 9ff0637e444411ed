import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    setupFiles: ["test/setup/fast-check-seed.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests spawn real servers and clients; two cores do not like more forks.
    maxWorkers: 2,
  },
});
