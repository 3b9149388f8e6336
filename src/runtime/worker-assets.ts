// Workers have no file system: wrangler bundles Chart.js's UMD build as a Text module
// (wrangler.toml: [alias] and a [[rules]] Text entry; vitest.config.ts aliases the same name).
import chartJsSource from "selfjudge-chart-umd";
import type { UiAssets } from "../deps";

export function workerUiAssets(): UiAssets {
  return { chartJs: async () => chartJsSource };
}
