export * from "./lp.ts"
export * from "./problem.ts"
export { solveKnapsack } from "./search.ts"
