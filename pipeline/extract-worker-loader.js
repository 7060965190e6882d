// Starts an extract worker from TypeScript source: registers the tsx loader inside the worker thread
// (loaders are per thread), then loads the worker module named in workerData.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.script);
