import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // one graphql realm: Vite would otherwise hand tests graphql/index.mjs while type-graphql gets index.js
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/globalSetup.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
