// Worker thread body for the crawl: extracts one report page per message and posts the record back,
// so a huge or pathological page never stalls the crawl's event loop (its sockets, timers, heartbeats).
import { parentPort } from "node:worker_threads";
import { extractReport } from "../extract/index.ts";

export interface PageJob {
  id: number;
  content: string;
  fileName: string;
  contentType?: string;
}

parentPort?.on("message", (job: PageJob) => {
  // The budget runs from here: loading this thread's modules is not the page's time.
  parentPort?.postMessage({ id: job.id, started: true });
  try {
    const record = extractReport({
      content: job.content,
      fileName: job.fileName,
      contentType: job.contentType,
    });
    parentPort?.postMessage({ id: job.id, record });
  } catch (err) {
    parentPort?.postMessage({ id: job.id, error: (err as Error).message });
  }
});
