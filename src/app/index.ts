/**
 * The application layer: the use cases every face (REST, command line, page) shares, over one
 * loaded round. Errors are domain errors (errors.ts); no face-specific codes here.
 * A new use case is a file in useCases/ and a line below.
 */
export * from "./caller.ts"
export * from "./catalog.ts"
export * from "./context.ts"
export * from "./errors.ts"
export * from "./rawJson.ts"
export * from "./round.ts"
export * from "./rounds.ts"
export * from "./rulesPatch.ts"
export * from "./settings.ts"
export * from "./useCases/admin.ts"
export * from "./useCases/analyseScenario.ts"
export * from "./useCases/audit.ts"
export * from "./useCases/comparePackages.ts"
export * from "./useCases/evaluatePackage.ts"
export * from "./useCases/packageExport.ts"
export * from "./useCases/proposals.ts"
export * from "./useCases/roundFiles.ts"
export * from "./useCases/savedPackages.ts"
export * from "./useCases/savedScenarios.ts"
export * from "./useCases/scenarios.ts"
export * from "./useCases/solveProblem.ts"
export * from "./useCases/solveScenario.ts"
