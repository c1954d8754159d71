import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * The console's typed client, generated from the committed schema.graphql: a schema change that breaks a
 * console query fails `npm run web:typecheck` and the build. Documents are typed strings, so the bundle carries
 * no GraphQL parser.
 */
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["web/src/**/*.ts", "web/src/**/*.vue", "!web/src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "web/src/gql/": {
      preset: "client",
      config: {
        documentMode: "string",
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Decimal: "string", DateTime: "string" },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;
