// CPU time of the calling process's main thread (Linux /proc; null elsewhere): on a shared machine,
// CPU per item is a steadier figure than wall time, and it bounds the throughput of a one-writer pipeline.
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Seconds of CPU (user + system) the main thread has used so far, or null when /proc is not there. */
export function mainThreadCpuSeconds(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at state; utime, stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Seconds of CPU (user + system) the whole process (every thread) has used so far. */
export function processCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
