import { defineConfig } from "vitest/config";

const onPostgres = process.env.TEST_ENGINE === "postgres";

/**
 * Files that touch no database, or start their own embedded one whatever the engine under test: they answer the
 * same on both engines, so they run in the PGlite suite only instead of twice.
 */
export const ENGINE_INDEPENDENT = [
  "test/domain/**",
  "test/build.test.ts",
  "test/expiringMap.test.ts",
  "test/glossary.test.ts",
  "test/labels.test.ts",
  "test/migrationHistory.test.ts",
  // the console in a real browser, against a service on PGlite: the console does not know the engine
  "test/browser/**",
];

export default defineConfig({
  resolve: {
    // one graphql realm: Vite would otherwise hand tests graphql/index.mjs while type-graphql gets index.js
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    // races need real connections: test/postgres/ runs only with `npm run test:pg`
    include: ["test/**/*.test.ts"],
    exclude: onPostgres ? ENGINE_INDEPENDENT : ["test/postgres/**"],
    globalSetup: ["test/support/globalSetup.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 60_000,
    // a browser test waits for the screen: on 2 loaded cores a render can take longer than vitest's 1 s default
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    pool: "forks",
  },
});
