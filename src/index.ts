// The types of this package name Node's (Buffer, streams, also in exceljs's types): a consumer
// gets them from the dependency on @types/node, without a "types" entry of its own.
/// <reference types="node" preserve="true" />
/**
 * pulje as a library: the model of a round's proposals (cash flows, price levels, payback, the
 * audit), the exact solver and its result schemas, the loader of a whole round, and its files
 * (the round workbook: template, import, seeding; a package to xlsx and CSV).
 *
 * ```ts
 * import { BUILT_IN_ROUND_DIR, loadRound, Rules, solve } from "pulje"
 * const round = loadRound(BUILT_IN_ROUND_DIR)
 * const result = solve(round.proposals, Rules.parse({ limits: { service: 100000 } }), { prices: round.config })
 * ```
 */
export { loadRound, type Round } from "./app/round.ts"
export * from "./io/index.ts"
export * from "./model/index.ts"
export * from "./solver/index.ts"
