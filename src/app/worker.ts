import { runTask } from "./tasks.ts"
import { serveTasks } from "./workerLoop.ts"

/** A solver thread: runs tasks over the round the pool hands it (see workerLoop.ts). */
serveTasks(runTask)
