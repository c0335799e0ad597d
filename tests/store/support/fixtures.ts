import { mkdtempSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import type { Draft, PackageBody, ShownFigures } from "../../../src/store/index.ts"

/** A fresh folder for a test's database; remove it with the returned function. */
export const tempDir = (): { dir: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), "pulje-store-"))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Node arguments that let a child process or worker thread run TypeScript (the tsx loader). */
export const tsxArgs = (): string[] => [
  "--import",
  pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href,
]

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
