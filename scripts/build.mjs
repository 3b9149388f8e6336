// Bundles the CLI (dist/cli.js, the `selfjudge` bin) and the typed client (dist/client.js)
// with esbuild. Run by `npm run build` and by npm's `prepare` (so `npm ci` leaves them built).
// Dependencies stay external: they resolve from node_modules like any package's.
import { build } from "esbuild";
import { chmod } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = process.argv[2] ?? `${root}dist`;

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
};

await Promise.all([
  build({ ...common, entryPoints: ["src/cli/main.ts"], outfile: `${outdir}/cli.js`, banner: { js: "#!/usr/bin/env node" } }),
  build({ ...common, entryPoints: ["src/client/index.ts"], outfile: `${outdir}/client.js` }),
]);
await chmod(`${outdir}/cli.js`, 0o755);
