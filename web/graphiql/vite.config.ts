import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** GraphiQL at /graphql outside production (src/http/console.ts), built apart from the console's own bundle. */
export default defineConfig({
  root: import.meta.dirname,
  base: "/graphiql/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
