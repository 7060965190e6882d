// Worker thread body for large imports: prepares pages (read + extract) on request and posts the
// results back; the main thread alone writes the database, so transactions stay per file.
import { parentPort } from "node:worker_threads";
import { preparePage } from "./prepare-page.ts";

parentPort?.on("message", async (msg: { id: number; file: string }) => {
  const result = await preparePage(msg.file);
  parentPort?.postMessage({ id: msg.id, result });
});
