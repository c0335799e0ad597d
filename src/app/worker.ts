import { workerData } from "node:worker_threads"
import { loadDataSet } from "../model/load.ts"
import { runTask, type Task, type TaskResult } from "./tasks.ts"

/** A solver thread: loads the round's proposals and prices once, then runs tasks from the pool. */
const { dataDir } = workerData as { dataDir: string }
const { proposals, config } = loadDataSet(dataDir)

export default (task: Task): TaskResult => runTask({ proposals, prices: config }, task)
