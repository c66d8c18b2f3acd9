// Builds the dashboard into dist/: the app (sessions page) and the lazily loaded session view with
// xterm.js, two stylesheets, the static files, and weights.json with each page's gzip sizes.
import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const out = "dist";
const assets = join(out, "assets");
rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const common = { bundle: true, minify: true, target: ["es2022", "chrome109", "safari16", "firefox115"], logLevel: "warning", legalComments: "none" };
const js = await build({
  ...common,
  entryPoints: { app: "src/app/main.ts" },
  outdir: assets,
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
});
// The service worker is one classic script at the root, so its scope is the whole dashboard.
await build({ ...common, entryPoints: { sw: "src/push/service-worker.ts" }, outdir: out, format: "iife" });
await build({ ...common, entryPoints: { app: "src/ui/app.css", session: "src/terminal-view/session.css" }, outdir: assets });
cpSync("public", out, { recursive: true });

// A page's weight: its entry, every chunk it imports statically, and its stylesheets.
const outputs = js.metafile.outputs;
function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const imported of outputs[file]?.imports ?? []) if (imported.kind === "import-statement") closure(imported.path, seen);
  return seen;
}
const appJs = join(assets, "app.js");
const lazy = [...(outputs[appJs].imports ?? [])].filter(i => i.kind === "dynamic-import").map(i => i.path);
const sessionsPage = [...closure(appJs)];
const terminalCode = sessionsPage.flatMap(f => Object.keys(outputs[f].inputs)).filter(i => i.includes("@xterm/"));
if (terminalCode.length > 0) throw new Error(`The sessions page would load terminal code: ${terminalCode.join(", ")}`);
const sessionPage = [...new Set([...sessionsPage, ...lazy.flatMap(f => [...closure(f)])])];
const weigh = files => {
  const sizes = files.map(f => ({ file: f.slice(out.length + 1), bytes: readFileSync(f).length, gzip: gzipSync(readFileSync(f)).length }));
  return { files: sizes, bytes: sizes.reduce((n, s) => n + s.bytes, 0), gzip: sizes.reduce((n, s) => n + s.gzip, 0) };
};
const weights = {
  sessions: { js: weigh(sessionsPage), css: weigh([join(assets, "app.css")]) },
  session: { js: weigh(sessionPage), css: weigh([join(assets, "app.css"), join(assets, "session.css")]) },
};
writeFileSync(join(out, "weights.json"), JSON.stringify(weights, null, 2) + "\n");
const kb = n => (n / 1024).toFixed(1) + " KB";
for (const [page, w] of Object.entries(weights)) {
  console.log(`${page.padEnd(8)} JS ${kb(w.js.gzip)} gzip (${kb(w.js.bytes)}), CSS ${kb(w.css.gzip)} gzip (${kb(w.css.bytes)})`);
}
