/** A solver thread whose module cannot even load (as when its source is missing or broken). */
throw new Error("this thread cannot start")
