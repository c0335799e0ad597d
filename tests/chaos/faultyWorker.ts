import { runTask, type Task } from "../../src/app/tasks.ts"
import { serveTasks } from "../../src/app/workerLoop.ts"
import { FAULT } from "./faults.ts"

/** A solver thread with faults on request (see faults.ts); any other task is solved as the real thread does. */

serveTasks((data, task: Task, control) => {
  switch (task.timeLimitMs) {
    case FAULT.exit:
      process.exit(3)
      break
    case FAULT.throwLater:
      setTimeout(() => {
        throw new Error("a fault after the answer")
      }, 10)
      break
    case FAULT.spin:
      for (;;) {}
    case FAULT.throwNow:
      throw new Error("a fault in the solver")
  }
  return runTask(data, task, control)
})
