import { workerData } from "node:worker_threads"
import { loadDataSet } from "../model/load.ts"
import { runTask, type Task, type TaskResult } from "./tasks.ts"

/** A solver thread: loads the built-in proposals once, then runs tasks from the pool. */
const { dataDir } = workerData as { dataDir: string }
const proposals = loadDataSet(dataDir).proposals

export default (task: Task): TaskResult => runTask(proposals, task)
