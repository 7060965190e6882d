// Worker thread body for large imports: prepares pages (read + extract + hash + gzip) on request and
// posts the results back; the main thread alone writes the database.
import { parentPort } from "node:worker_threads";
import { preparePackedPage } from "./packed-page.ts";

parentPort?.on("message", async (msg: { id: number; file: string }) => {
  const result = await preparePackedPage(msg.file);
  parentPort?.postMessage({ id: msg.id, result });
});
