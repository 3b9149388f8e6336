/** Chart.js's UMD build as text (a wrangler Text module on Workers; a vitest alias in tests). */
declare module "*/chart.umd.min.js" {
  const source: string;
  export default source;
}
