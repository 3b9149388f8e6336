// vitest's stand-in for the Workers Text module chart.umd.min.js: the same file, read from disk.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const main = createRequire(import.meta.url).resolve("chart.js");
export default readFileSync(join(dirname(main), "chart.umd.min.js"), "utf8");
