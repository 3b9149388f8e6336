// Bundles the CLI (dist/cli.js, the `selfjudge` bin), the typed client (dist/client.js) and the
// Node server (dist/node/server.js, what `npm start` runs after its `prestart` build)
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
  // The server for `npm start` (issue 9): compiled JavaScript, no TypeScript at run time. Two levels
  // below the root, like src/db/, so the migrations folder resolves the same way ("../../drizzle").
  build({ ...common, entryPoints: ["src/server.ts"], outfile: `${outdir}/node/server.js` }),
  build({ ...common, entryPoints: ["src/db/migrate-cli.ts"], outfile: `${outdir}/node/migrate.js` }),
]);
await chmod(`${outdir}/cli.js`, 0o755);
