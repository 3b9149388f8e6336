/** Chart.js's UMD build as text (wrangler Text module on Workers; a vitest alias in tests). */
declare module "selfjudge-chart-umd" {
  const source: string;
  export default source;
}
