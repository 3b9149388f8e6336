import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      // The Workers entry imports Chart.js as a wrangler Text module; tests read the same file.
      { find: /^.*\/chart\.umd\.min\.js$/, replacement: fileURLToPath(new URL("./tests/helpers/chart-umd-text.ts", import.meta.url)) },
      // src/worker.ts exports the Workflows classes, built on workerd's "cloudflare:workers".
      { find: "cloudflare:workers", replacement: fileURLToPath(new URL("./tests/helpers/cloudflare-workers-shim.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite instances are memory-hungry WASM; a couple of workers keeps a 2-core box responsive.
    maxWorkers: 2,
  },
});
