import { workerData } from "node:worker_threads"
import { loadDataSet } from "../model/load.ts"
import { loadConfidential } from "./round.ts"
import { runTask, type Task, type TaskData, type TaskResult } from "./tasks.ts"

/** A solver thread: loads the round's proposals and prices once, then runs tasks from the pool. */
const { dataDir, confidentialDir } = workerData as { dataDir: string; confidentialDir?: string }
const { proposals, config } = loadDataSet(dataDir)
const data: TaskData = {
  proposals,
  prices: config,
  ...(confidentialDir
    ? { confidential: loadConfidential(confidentialDir, new Set(proposals.map((p) => p.id))) }
    : {}),
}

export default (task: Task): TaskResult => runTask(data, task)
