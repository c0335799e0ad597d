import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { basename, join } from "node:path"
import { pathToFileURL } from "node:url"
import { gzipSync } from "node:zlib"
import { build } from "esbuild"

/**
 * Builds the negotiation page (src/web) into `out` (default build/web): one minified script and
 * one stylesheet, named by their content hash (so the service can let browsers keep them for
 * good), and an index.html that names them. Returns each asset's size, raw and gzipped (bytes).
 */
export const buildWeb = async (out = join(root, "build", "web")) => {
  rmSync(out, { recursive: true, force: true })
  mkdirSync(join(out, "assets"), { recursive: true })
  const result = await build({
    entryPoints: [join(root, "src", "web", "main.tsx")],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    entryNames: "[name]-[hash]",
    outdir: join(out, "assets"),
    metafile: true,
    legalComments: "none",
    logLevel: "warning",
  })
  const outputs = Object.keys(result.metafile.outputs)
  const named = (ext: string) => {
    const file = outputs.find((f) => f.endsWith(ext))
    if (!file) throw new Error(`esbuild wrote no ${ext} file`)
    return basename(file)
  }
  const assets = { js: named(".js"), css: named(".css") }
  const html = readFileSync(join(root, "src", "web", "index.html"), "utf8")
    .replace("{{js}}", assets.js)
    .replace("{{css}}", assets.css)
  writeFileSync(join(out, "index.html"), html)
  return Object.values(assets).map((name) => {
    const bytes = readFileSync(join(out, "assets", name))
    return { name, bytes: bytes.length, gzipped: gzipSync(bytes).length }
  })
}

const root = join(import.meta.dirname, "..")

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  for (const a of await buildWeb())
    console.log(
      `build/web/assets/${a.name}: ${(a.bytes / 1024).toFixed(1)} KB, gzipped ${(a.gzipped / 1024).toFixed(1)} KB`,
    )
