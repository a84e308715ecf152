/**
 * Entry point of each training worker (see worker-pool.ts). Takes blocks from the shared counter
 * until none is left or the run is stopped, writing each block's kernel result into the shared
 * results array; then reports "done" (or "error").
 */
import { parentPort } from "node:worker_threads";
import { loadKernel, type RunMessage, type WorkerReply } from "./worker-pool";

const port = parentPort;
if (!port) throw new Error("worker-entry must run in a worker thread");

port.on("message", (message: RunMessage) => {
  if (message.type !== "run") return;
  const { id, control, results, items, blockSize, context } = message;
  const blocks = results.length;
  let reply: WorkerReply = { type: "done", id };
  try {
    const kernel = loadKernel<typeof context>(message.module, message.kernel);
    if (message.once) {
      kernel(context, 0, 0, -1);
    } else {
      for (;;) {
        if (Atomics.load(control, 1) !== 0) break;
        const block = Atomics.add(control, 0, 1);
        if (block >= blocks) break;
        const start = block * blockSize;
        const end = Math.min(items, start + blockSize);
        const value = kernel(context, start, end, block);
        if (typeof value === "number") results[block] = value;
        port.postMessage({ type: "progress", id, rows: end - start } satisfies WorkerReply);
      }
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { type: "error", id, message: e.message, stack: e.stack };
  }
  port.postMessage(reply);
});
