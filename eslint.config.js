import js from "@eslint/js";
import pluginVue from "eslint-plugin-vue";
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

// a command runs at the one instant command() hands in (src/app/command.ts); reading the clock again inside it
// would stamp one change with two times
const readsTheClock = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: "Use the instant the command was handed (command()'s `now`), or take the time as an argument.",
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: "Use the instant the command was handed (command()'s `now`), or take the time as an argument.",
  },
];
const callsDepsClock = {
  selector: "CallExpression[callee.property.name='clock']",
  message: "Only command() reads deps.clock(); a use case takes the `now` it is handed.",
};

const databaseAccess = {
  group: ["drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*"],
  message: "Database access lives in src/db.",
};

// a repository's writes and locks live in its *.writes.ts module (decision 44)
const writingRepository = {
  group: ["**/repositories/*.writes.js"],
  message:
    "Writes and locks go through a use case in src/app; read through a repository's read module or a loader.",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules",
      "data",
      "dist",
      "src/db/migrations",
      "bench/peer",
      "coverage",
      "web/dist",
      "web/graphiql/dist",
      "web/src/gql",
      "test-output",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs["flat/recommended"],
  {
    files: ["web/**/*.vue"],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    rules: {
      // prettier lays out the templates
      "vue/max-attributes-per-line": "off",
      "vue/singleline-html-element-content-newline": "off",
      "vue/html-self-closing": "off",
      "vue/html-indent": "off",
      "vue/html-closing-bracket-newline": "off",
      "vue/multiline-html-element-content-newline": "off",
    },
  },
  {
    // the console shares the service's pure domain (labels, rules) and nothing else of the server
    files: ["web/**/*.ts", "web/**/*.vue"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/src/db/**",
                "**/src/app/**",
                "**/src/graphql/**",
                "**/src/http/**",
                "**/src/auth/**",
              ],
              message: "The console talks to the service over GraphQL; it may import only src/domain.",
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // STYLE.md: a function reads in one screen; 60 lines is the hard limit (issue 17), ~40 the aim
    files: ["src/**/*.ts", "seeds/**/*.ts"],
    rules: {
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
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
    files: ["src/app/**/*.ts", "src/auth/**/*.ts", "seeds/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [databaseAccess] }] },
  },
  {
    // reads flow through read modules and loaders; every write goes through a use case in src/app (decision 44)
    files: ["src/graphql/**/*.ts", "src/http/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [databaseAccess, writingRepository] }] },
  },
  {
    // the loaders and the reports answer reads: they neither lock nor write
    files: ["src/db/loaders.ts", "src/db/reports/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [writingRepository] }] },
  },
  {
    files: ["src/domain/**/*.ts", "src/app/**/*.ts"],
    rules: { "no-restricted-syntax": ["error", ...readsTheClock] },
  },
  {
    // sign-in and first set-up are no command(): they read the clock once themselves
    files: ["src/app/**/*.ts"],
    ignores: ["src/app/command.ts", "src/app/account/session.ts", "src/app/setup/initCounty.ts"],
    rules: { "no-restricted-syntax": ["error", ...readsTheClock, callsDepsClock] },
  },
);
