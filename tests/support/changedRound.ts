import { cpSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"

/** BC05 in the round in `dir` saves 1.000 (1.000 kr.) more a year in its last year, so an optimum with BC05 gains 1.000. */
export const changeBC05 = (dir: string): void => {
  const file = join(dir, "proposals", "BC05.json")
  writeFileSync(
    file,
    readFileSync(file, "utf8").replace(
      "[-759, -1518, -2277, -2277, -2277, -2277]",
      "[-759, -1518, -2277, -2277, -2277, -3277]",
    ),
  )
}

/** A copy of the built-in round in `dir` whose data changed after something was saved (see changeBC05). */
export const roundWithBC05Changed = (dir: string): string => {
  cpSync(BUILT_IN_ROUND_DIR, dir, { recursive: true })
  changeBC05(dir)
  return dir
}

/**
 * A copy of the built-in round as round `id` among the rounds in `roundsDir` (its folder and its
 * round.json's id); `change` alters the copy's files first. The copy's folder.
 */
export const roundCopy = (
  roundsDir: string,
  id: string,
  change: (dir: string) => void = () => {},
): string => {
  const dir = join(roundsDir, id)
  cpSync(BUILT_IN_ROUND_DIR, dir, { recursive: true })
  change(dir)
  const config = join(dir, "round.json")
  writeFileSync(config, readFileSync(config, "utf8").replace('"id": "ofs-2025-26"', `"id": "${id}"`))
  return dir
}

/** Run `f` with the rounds in `roundsDir` (PULJE_ROUNDS_DIR), then set it back as it was. */
export const withRoundsDir = async <T>(roundsDir: string, f: () => Promise<T>): Promise<T> => {
  const before = process.env.PULJE_ROUNDS_DIR
  process.env.PULJE_ROUNDS_DIR = roundsDir
  try {
    return await f()
  } finally {
    if (before === undefined) delete process.env.PULJE_ROUNDS_DIR
    else process.env.PULJE_ROUNDS_DIR = before
  }
}
