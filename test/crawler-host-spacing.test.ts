// The politeness gate on virtual time: per-host starts spaced start to start by the delay plus a small
// upward jitter, one request in flight per host (a slow response is followed at once, never overlapped),
// Retry-After and slow-down on top, and a global cap that follows the hosts with work.
import { describe, expect, it } from "vitest";
import { HostGate, type HostGateOptions } from "../crawler/politeness/host-gate.ts";
import { VirtualClock } from "./support/virtual-clock.ts";

interface Exchange {
  host: string;
  start: number;
  end: number;
}

function setup(opts: Partial<HostGateOptions> = {}) {
  const clock = new VirtualClock();
  const gate = new HostGate({
    politeness: true,
    globalConcurrency: "auto",
    perDomainConcurrency: 2,
    defaultDelayMs: 1000,
    jitterRatio: 0,
    maxDelayMs: 60_000,
    circuitThreshold: 5,
    clock,
    ...opts,
  });
  const log: Exchange[] = [];
  const inFlight = new Map<string, number>();
  let global = 0;
  const peaks = { perHost: 0, global: 0 };
  /** One exchange through the gate that takes `latencyMs` of virtual time. */
  const request = (host: string, latencyMs: number) =>
    gate.run(host, async () => {
      const start = clock.now();
      const n = (inFlight.get(host) ?? 0) + 1;
      inFlight.set(host, n);
      global++;
      peaks.perHost = Math.max(peaks.perHost, n);
      peaks.global = Math.max(peaks.global, global);
      await clock.sleep(latencyMs);
      inFlight.set(host, n - 1);
      global--;
      log.push({ host, start, end: clock.now() });
    });
  const starts = (host: string) =>
    log
      .filter((e) => e.host === host)
      .map((e) => e.start)
      .sort((a, b) => a - b);
  const gaps = (host: string) => starts(host).flatMap((s, i, all) => (i ? [s - all[i - 1]!] : []));
  return { clock, gate, request, log, peaks, starts, gaps };
}

const times = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("per-host spacing, start to start", () => {
  it("spaces starts by the delay, not by the end of the last response plus the delay", async () => {
    const { clock, request, gaps, peaks } = setup();
    await clock.run(Promise.all(times(6).map(() => request("a.gov.cn", 300))));
    expect(gaps("a.gov.cn")).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(peaks.perHost).toBe(1);
  });

  it("follows a response slower than the delay at once, and never has two in flight", async () => {
    const { clock, request, gaps, log, peaks } = setup();
    await clock.run(Promise.all(times(5).map(() => request("slow.gov.cn", 1500))));
    expect(gaps("slow.gov.cn")).toEqual([1500, 1500, 1500, 1500]);
    const byStart = [...log].sort((a, b) => a.start - b.start);
    for (let i = 1; i < byStart.length; i++)
      expect(byStart[i]!.start).toBeGreaterThanOrEqual(byStart[i - 1]!.end);
    expect(peaks.perHost).toBe(1);
  });

  it("counts from when the request left, so a slow connect does not shorten the next gap", async () => {
    const { clock, gate } = setup();
    const sends: number[] = [];
    const connectMs = [250, 0, 0]; // a new connection first, then keep-alive
    await clock.run(
      Promise.all(
        connectMs.map((ms) =>
          gate.run("c.gov.cn", async (sent) => {
            await clock.sleep(ms);
            sent();
            sends.push(clock.now());
            await clock.sleep(100);
          }),
        ),
      ),
    );
    expect(sends).toEqual([250, 1250, 2250]);
  });

  /** Requests to `host` one after another, each answered `ms` after it left: when each left. */
  async function sendsAnswering(
    gate: HostGate,
    clock: VirtualClock,
    host: string,
    answerMs: number[],
    sends: number[] = [],
  ): Promise<number[]> {
    for (const ms of answerMs)
      await gate.run(host, async (sent, answered) => {
        sent();
        sends.push(clock.now());
        await clock.sleep(ms);
        answered();
      });
    return sends;
  }

  it("an answer slower than the run's fastest moves the counted start to the latest the server can have stamped it", async () => {
    const { clock, gate } = setup();
    // Answers 2 ms after the send, then one 32 ms after (the server was busy with a burst when it came).
    const sends = await clock.run(sendsAnswering(gate, clock, "late.gov.cn", [2, 32, 2]));
    // The second request may have been stamped as late as 32 − 2 = 30 ms after it left: the third
    // comes a full delay after that, never 1000 ms after the send alone.
    expect(sends).toEqual([0, 1000, 2030]);
  });

  it("caps that move at 5 % of the delay: a slow answer is still followed at once", async () => {
    const { clock, gate } = setup();
    const sends = await clock.run(sendsAnswering(gate, clock, "slowish.gov.cn", [1, 1500, 1]));
    // Counted from 1000 + 50 (the cap), the third is due at 2050: already past when the answer ends at 2500.
    expect(sends).toEqual([0, 1000, 2500]);
  });

  it("the fastest answer of any host is the reference, so a host's start-up answers do not set it", async () => {
    const { clock, gate } = setup();
    const sends = await clock.run(
      (async () => {
        await sendsAnswering(gate, clock, "quick.gov.cn", [1]);
        return sendsAnswering(gate, clock, "burst.gov.cn", [40, 1]);
      })(),
    );
    // burst.gov.cn's first answer (40 ms) is its own fastest, but quick.gov.cn answered in 1 ms: the
    // server can have stamped it up to 39 ms late.
    expect(sends).toEqual([1, 1040]);
  });

  it("counts the gap after robots.txt from its answer, and page gaps from their starts", async () => {
    const { clock, gate, request, log } = setup();
    await clock.run(
      (async () => {
        await gate.run("r.gov.cn", () => clock.sleep(400), { countFromEnd: true }); // robots.txt, 0 → 400
        await Promise.all(times(2).map(() => request("r.gov.cn", 300)));
      })(),
    );
    expect(log.map((e) => e.start)).toEqual([1400, 2400]);
  });

  it("adds jitter only upward, between the floor and the ratio", async () => {
    const { clock, request, gaps } = setup({ jitterRatio: 0.025, jitterFloorRatio: 0.005 });
    await clock.run(Promise.all(times(200).map(() => request("j.gov.cn", 50))));
    const g = gaps("j.gov.cn");
    expect(Math.min(...g)).toBeGreaterThanOrEqual(1005);
    expect(Math.max(...g)).toBeLessThanOrEqual(1025);
    expect(new Set(g.map(Math.round)).size).toBeGreaterThan(5); // drawn, not a constant
  });

  it("draws the extreme jitters exactly at the floor and at the ratio", async () => {
    const low = setup({ jitterRatio: 0.025, jitterFloorRatio: 0.005, random: () => 0 });
    await low.clock.run(Promise.all(times(3).map(() => low.request("l.gov.cn", 10))));
    for (const g of low.gaps("l.gov.cn")) expect(g).toBeCloseTo(1005, 6);
    const high = setup({ jitterRatio: 0.025, jitterFloorRatio: 0.005, random: () => 1 });
    await high.clock.run(Promise.all(times(3).map(() => high.request("h.gov.cn", 10))));
    for (const g of high.gaps("h.gov.cn")) expect(g).toBeCloseTo(1025, 6);
  });

  it("holds a Retry-After pause from the response, then the doubled delay", async () => {
    const { clock, gate, request, log, gaps } = setup();
    const host = "busy.gov.cn";
    await clock.run(
      (async () => {
        await request(host, 100); // answered 429, Retry-After: 10
        gate.pause(host, 10_000);
        gate.slowDown(host);
        await Promise.all(times(3).map(() => request(host, 100)));
      })(),
    );
    expect(log[1]!.start - log[0]!.end).toBe(10_000);
    expect(gaps(host).slice(1)).toEqual([2000, 2000]);
  });

  it("keeps a raised Crawl-delay and never lowers it below what is set", async () => {
    const { clock, gate, request, gaps } = setup();
    gate.setDelay("cd.gov.cn", 3000);
    gate.setDelay("cd.gov.cn", 500);
    await clock.run(Promise.all(times(4).map(() => request("cd.gov.cn", 10))));
    expect(gaps("cd.gov.cn")).toEqual([3000, 3000, 3000]);
  });

  it("spaces the starts of a host allowed two in flight by the delay too", async () => {
    const { clock, gate, request, gaps, peaks } = setup();
    gate.initConcurrency("wide.gov.cn", 2);
    await clock.run(Promise.all(times(6).map(() => request("wide.gov.cn", 2500))));
    expect(Math.min(...gaps("wide.gov.cn"))).toBeGreaterThanOrEqual(1000);
    expect(peaks.perHost).toBe(2);
  });

  it("opens the circuit after the threshold and sends nothing more", async () => {
    const { clock, gate, request, log } = setup();
    for (const _ of times(5)) gate.recordFailure("down.gov.cn");
    await expect(clock.run(request("down.gov.cn", 10))).rejects.toThrow(/circuit open/);
    expect(log).toHaveLength(0);
  });
});

describe("global cap", () => {
  it("auto: one request in flight per host with work, so politeness and not the cap binds", async () => {
    const { clock, gate, request, peaks, gaps } = setup();
    const hosts = times(40).map((i) => `h${i}.gov.cn`);
    // 600 ms responses, 1 s delay: 40 hosts need ~24 in flight at once, three times the old fixed 8.
    await clock.run(Promise.all(hosts.flatMap((h) => times(4).map(() => request(h, 600)))));
    expect(peaks.global).toBe(40);
    for (const h of hosts) expect(gaps(h)).toEqual([1000, 1000, 1000]);
    expect(gate.globalLimit()).toBe(8); // back to the floor once no host has work
  });

  it("auto stops at its ceiling", async () => {
    const { clock, request, peaks } = setup({ maxGlobalConcurrency: 12 });
    await clock.run(Promise.all(times(40).map((i) => request(`c${i}.gov.cn`, 600))));
    expect(peaks.global).toBe(12);
  });

  it("a fixed cap is a fixed cap", async () => {
    const { clock, request, peaks } = setup({ globalConcurrency: 3 });
    await clock.run(Promise.all(times(20).map((i) => request(`f${i}.gov.cn`, 600))));
    expect(peaks.global).toBe(3);
  });

  it("a cap under 1 is taken as 1, never as a gate nobody passes", async () => {
    const { clock, request, peaks, log } = setup({ globalConcurrency: 0 });
    await clock.run(Promise.all(times(3).map((i) => request(`z${i}.gov.cn`, 100))));
    expect(log).toHaveLength(3);
    expect(peaks.global).toBe(1);
  });

  it("a site's per-domain cap replaces the default for its domain", async () => {
    const { clock, gate, request, peaks } = setup();
    const hosts = times(6).map((i) => `s${i}.onecity.gov.cn`);
    for (const h of hosts) gate.initDomainConcurrency(h, 4);
    await clock.run(Promise.all(hosts.map((h) => request(h, 600))));
    expect(peaks.global).toBe(4);
  });
});
