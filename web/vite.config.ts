import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

/**
 * The console is built into web/dist and served by the service itself (src/http/console.ts): no CDN, so it works
 * on a county intranet. Asset names carry a content hash, which is what lets the service cache them for a year.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [vue()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // the coverage grid's chart library is loaded only when the grid is shown
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npx vite web` during development: API calls go to a service started with `npm start`
    proxy: { "/graphql": { target: "http://localhost:4000", ws: true }, "/export": "http://localhost:4000" },
  },
});
