import js from "@eslint/js";
import tseslint from "typescript-eslint";

const frameworkAndIo = [
  "drizzle-orm",
  "drizzle-orm/*",
  "postgres",
  "@electric-sql/*",
  "graphql",
  "graphql/*",
  "type-graphql",
  "@apollo/*",
  "dataloader",
  "pino",
  "jose",
  "node:*",
];

export default tseslint.config(
  { ignores: ["node_modules", "data", "dist", "src/db/migrations", "bench/peer", "coverage"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // the domain is pure: no framework, no database, no I/O, no other layer
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: frameworkAndIo,
              message: "src/domain is pure TypeScript: no framework, database or I/O imports.",
            },
            {
              group: ["**/db/**", "**/graphql/**", "**/app/**", "**/http/**", "**/auth/**"],
              message: "src/domain depends on nothing above it.",
            },
          ],
        },
      ],
    },
  },
  {
    // only src/db talks SQL
    files: [
      "src/app/**/*.ts",
      "src/graphql/**/*.ts",
      "src/http/**/*.ts",
      "src/auth/**/*.ts",
      "seeds/**/*.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*"],
              message: "Database access lives in src/db.",
            },
          ],
        },
      ],
    },
  },
);
