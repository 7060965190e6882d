// A clock for the politeness gate that runs on virtual time: sleeps resolve in time order as soon as
// every promise is idle, so spacing is checked exactly and a test never waits out a real delay.
import { GateAbortedError, type GateClock } from "../../crawler/politeness/host-gate.ts";

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export class VirtualClock implements GateClock {
  private t = 0;
  private seq = 0;
  private readonly timers: Timer[] = [];

  now = (): number => this.t;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(new GateAbortedError());
    return new Promise((resolve) =>
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve }),
    );
  };

  /** Settles `work`, advancing time to each pending sleep in turn whenever nothing else can run. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    for (let steps = 0; !settled; steps++) {
      // setImmediate runs after every queued promise job: the work is idle or waiting on a timer.
      await new Promise((r) => setImmediate(r));
      if (settled) break;
      if (!this.timers.length) throw new Error("virtual clock: work is stuck with no timer pending");
      if (steps > 1_000_000) throw new Error("virtual clock: too many steps");
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    return watched;
  }
}
