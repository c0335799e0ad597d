import { mkdtempSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { build } from "esbuild"
import type { PackageBody } from "../../../src/store/bodies.ts"
import type { Draft, ShownFigures } from "../../../src/store/schema.ts"

/** A fresh folder for a test's database; remove it with the returned function. */
export const tempDir = (): { dir: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), "pulje-store-"))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Node arguments that let a child process run TypeScript (the tsx loader). */
export const tsxArgs = (): string[] => [
  "--import",
  pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href,
]

/**
 * Bundle a helper script of this folder (TypeScript, with the store it imports) into one plain
 * JavaScript file, so that 16 threads or a child process start in a tenth of the time the tsx
 * loader takes in each. It is written under node_modules/.cache so that its packages resolve.
 */
export const bundleHelper = async (name: "saver" | "writer"): Promise<string> => {
  const outfile = join(import.meta.dirname, "../../../node_modules/.cache/pulje-store-tests", `${name}.mjs`)
  await build({
    entryPoints: [join(import.meta.dirname, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "error",
  })
  return outfile
}

export const figures = (objective: number): ShownFigures => ({
  objective,
  poolUse: { service: 12_345.5, anlaeg: 678, priceLevel: 2026 },
  violations: [],
})

/** A package draft whose name and objective identify it. */
export const packageDraft = (name: string, objective = 1000, confidential = false): Draft<PackageBody> => ({
  name,
  note: `note of ${name}`,
  body: { scenario: "ofs-2025-26", package: [{ proposal: "BC05", variant: "base" }] },
  figures: figures(objective),
  dataHash: "d".repeat(64),
  confidential,
})
