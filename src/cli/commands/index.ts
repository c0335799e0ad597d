import type { Command } from "../context.ts"
import { alternativesCommand, explainCommand, frontierCommand, robustnessCommand } from "./analysis.ts"
import { auditCommand } from "./audit.ts"
import { backupCommand } from "./backup.ts"
import { compareCommand } from "./compare.ts"
import { evaluateCommand } from "./evaluate.ts"
import { keysCommand } from "./keys.ts"
import { packagesCommand } from "./packages.ts"
import { proposalsCommand } from "./proposals.ts"
import { importCommand, roundsCommand, seedCommand, templateCommand } from "./rounds.ts"
import { scenariosCommand } from "./scenarios.ts"
import { serveCommand } from "./serve.ts"
import { solveCommand } from "./solve.ts"

/** Every `pulje` command, in the order the help lists them: a new one is a file here and a line below. */
export const COMMANDS: readonly Command[] = [
  solveCommand,
  evaluateCommand,
  compareCommand,
  frontierCommand,
  explainCommand,
  alternativesCommand,
  robustnessCommand,
  proposalsCommand,
  scenariosCommand,
  auditCommand,
  packagesCommand,
  keysCommand,
  backupCommand,
  roundsCommand,
  templateCommand,
  importCommand,
  seedCommand,
  serveCommand,
]
