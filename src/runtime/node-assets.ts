import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { UiAssets } from "../deps";

/** The console's static files read from node_modules on first use (Node). */
export function nodeUiAssets(): UiAssets {
  let chart: Promise<string> | undefined;
  return {
    chartJs() {
      chart ??= (async () => {
        // "chart.js" resolves to dist/chart.cjs; the UMD build sits next to it.
        const main = createRequire(import.meta.url).resolve("chart.js");
        return readFile(join(dirname(main), "chart.umd.min.js"), "utf8");
      })();
      return chart;
    },
  };
}
