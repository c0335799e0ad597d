import { cpSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"

/**
 * A copy of the built-in round in `dir` whose data changed after something was saved: BC05
 * saves 1.000 (1.000 kr.) more a year in its last year, so an optimum with BC05 gains 1.000.
 */
export const roundWithBC05Changed = (dir: string): string => {
  cpSync(BUILT_IN_ROUND_DIR, dir, { recursive: true })
  const file = join(dir, "proposals", "BC05.json")
  writeFileSync(
    file,
    readFileSync(file, "utf8").replace(
      "[-759, -1518, -2277, -2277, -2277, -2277]",
      "[-759, -1518, -2277, -2277, -2277, -3277]",
    ),
  )
  return dir
}
