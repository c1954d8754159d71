import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // one graphql realm: Vite would otherwise hand tests graphql/index.mjs while type-graphql gets index.js
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    // races need real connections: test/postgres/ runs only with `npm run test:pg`
    include: ["test/**/*.test.ts"],
    exclude: process.env.TEST_ENGINE === "postgres" ? [] : ["test/postgres/**"],
    globalSetup: ["test/support/globalSetup.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
