// Workers have no file system: wrangler bundles Chart.js's UMD build as a Text module (the
// [[rules]] Text entry in wrangler.toml matches this import; vitest.config.ts maps it to a reader).
import chartJsSource from "../../node_modules/chart.js/dist/chart.umd.min.js";
import type { UiAssets } from "../deps";

export function workerUiAssets(): UiAssets {
  return { chartJs: async () => chartJsSource };
}
