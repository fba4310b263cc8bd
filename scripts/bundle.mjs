// Bundles a Node entry point with its workspace packages into one ESM file for
// production images and the benchmark. Packages listed in `external` stay in node_modules.
import { build } from "esbuild";

const [entry, outfile, ...external] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error("usage: node scripts/bundle.mjs <entry.ts> <out.mjs> [external ...]");
  process.exit(2);
}
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external,
  legalComments: "none",
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire as __pcRequire } from 'node:module'; const require = __pcRequire(import.meta.url);" },
  logLevel: "warning",
});
console.log(`bundled ${entry} -> ${outfile}`);
