// The politeness gate every request passes: per host one in flight and a jittered delay between
// requests, per registrable domain at most N in flight, a global cap, pauses (Retry-After), slow-down, circuit.
import { registrableDomain } from "../url/allowed-host.ts";

export interface HostGateOptions {
  /** false: no per-host serialising or delay (benchmarks, never real portals). */
  politeness: boolean;
  globalConcurrency: number;
  perDomainConcurrency: number;
  defaultDelayMs: number;
  /** Extra random wait as a fraction of the delay, added (never subtracted): 0.25 → delay … 1.25 × delay. */
  jitterRatio: number;
  /** A slowed-down host's delay never goes beyond this. */
  maxDelayMs: number;
  /** Consecutive failures that open a host's circuit for the rest of the run. */
  circuitThreshold: number;
  random?: () => number;
  /** Aborting stops every wait at once (Ctrl-C must not sit out a long Retry-After). */
  signal?: AbortSignal;
}

class Semaphore {
  private active = 0;
  private waiters: (() => void)[] = [];
  /** Mutable only before first use (a host's concurrency is set when it is first seen). */
  constructor(public size: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.size) {
      this.active++;
      return;
    }
    await new Promise<void>((r) => this.waiters.push(r));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}

interface HostState {
  delayMs: number;
  /** When the last request to the host ended; the next starts ≥ delay (+ jitter) later. */
  lastEndAt: number;
  /** When the last request was admitted: with more than one slot, starts are spaced by the delay. */
  lastStartAt: number;
  /** In-flight slots for the host: 1 unless the site's rate.concurrency says more. */
  slots: Semaphore;
  /** This gap's jitter as a fraction of the delay, drawn when the last request ended. */
  jitterFraction: number;
  pausedUntil: number;
  consecutiveFailures: number;
  circuitOpen: boolean;
  slowDowns: number;
}

export class CircuitOpenError extends Error {
  constructor(readonly host: string) {
    super(`circuit open for ${host} after repeated failures`);
    this.name = "CircuitOpenError";
  }
}

/** Gaps are measured on the monotonic clock: a wall-clock step (NTP) must not shorten a delay. */
const monotonicMs = () => performance.now();

export class GateAbortedError extends Error {
  constructor() {
    super("crawl interrupted");
    this.name = "GateAbortedError";
  }
}

/** Sleeps `ms`, or rejects with GateAbortedError as soon as `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new GateAbortedError());
  return new Promise((ok, fail) => {
    const onAbort = () => {
      clearTimeout(timer);
      fail(new GateAbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      ok();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export class HostGate {
  private readonly hosts = new Map<string, HostState>();
  private readonly domains = new Map<string, Semaphore>();
  private readonly global: Semaphore;
  private readonly random: () => number;

  constructor(private readonly opts: HostGateOptions) {
    this.global = new Semaphore(opts.globalConcurrency);
    this.random = opts.random ?? Math.random;
  }

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) {
      s = {
        delayMs: this.opts.defaultDelayMs,
        lastEndAt: Number.NEGATIVE_INFINITY,
        jitterFraction: 0,
        pausedUntil: Number.NEGATIVE_INFINITY,
        lastStartAt: Number.NEGATIVE_INFINITY,
        slots: new Semaphore(1),
        consecutiveFailures: 0,
        circuitOpen: false,
        slowDowns: 0,
      };
      this.hosts.set(host, s);
    }
    return s;
  }

  /** A host's base delay (site rate, robots Crawl-delay): the larger of what is asked and what is set. */
  setDelay(host: string, delayMs: number): void {
    const s = this.state(host);
    s.delayMs = Math.min(this.opts.maxDelayMs, Math.max(s.delayMs, delayMs));
  }

  /** Force an exact base delay (the site's own setting, before robots or slow-downs raise it). */
  initDelay(host: string, delayMs: number): void {
    this.state(host).delayMs = delayMs;
  }

  /** Requests in flight allowed to the host (the site's rate.concurrency, 1–4); call before its first request. */
  initConcurrency(host: string, concurrency: number): void {
    this.state(host).slots.size = Math.max(1, Math.floor(concurrency));
  }

  delayOf(host: string): number {
    return this.state(host).delayMs;
  }

  /** Retry-After: nothing goes to the host before `ms` from now. */
  pause(host: string, ms: number): void {
    const s = this.state(host);
    s.pausedUntil = Math.max(s.pausedUntil, monotonicMs() + ms);
  }

  /** 429/503/challenge: double the host's delay (adaptive slow-down). */
  slowDown(host: string): void {
    const s = this.state(host);
    s.delayMs = Math.min(this.opts.maxDelayMs, Math.max(1, s.delayMs) * 2);
    s.slowDowns++;
  }

  recordSuccess(host: string): void {
    this.state(host).consecutiveFailures = 0;
  }

  /** Returns true when this failure opened the circuit. */
  recordFailure(host: string): boolean {
    const s = this.state(host);
    s.consecutiveFailures++;
    if (!s.circuitOpen && s.consecutiveFailures >= this.opts.circuitThreshold) {
      s.circuitOpen = true;
      return true;
    }
    return false;
  }

  isOpen(host: string): boolean {
    return this.hosts.get(host)?.circuitOpen ?? false;
  }

  openHosts(): string[] {
    return [...this.hosts].filter(([, s]) => s.circuitOpen).map(([h]) => h);
  }

  slowDownsOf(host: string): number {
    return this.hosts.get(host)?.slowDowns ?? 0;
  }

  /** Runs `fn` (one HTTP exchange) when the host, its domain and the global cap all allow it. */
  async run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    if (!this.opts.politeness) {
      await this.global.acquire();
      try {
        return await fn();
      } finally {
        this.global.release();
      }
    }
    const s = this.state(host);
    // The host's slots: with one slot, the next request starts only after this one ended (+ delay).
    await s.slots.acquire();
    try {
      if (this.opts.signal?.aborted) throw new GateAbortedError();
      if (s.circuitOpen) throw new CircuitOpenError(host);
      for (;;) {
        // Read the delay now, not when the last request ended: robots.txt or a 429 may have raised it since.
        const gap = s.delayMs * (1 + s.jitterFraction);
        const after = s.slots.size === 1 ? s.lastEndAt + gap : s.lastStartAt + gap;
        const wait = Math.max(after, s.pausedUntil) - monotonicMs();
        if (wait <= 0) break;
        await sleepUnlessAborted(wait, this.opts.signal);
      }
      s.lastStartAt = monotonicMs(); // reserve this start before awaiting the caps below
      const domain = registrableDomain(host);
      let sem = this.domains.get(domain);
      if (!sem) {
        sem = new Semaphore(this.opts.perDomainConcurrency);
        this.domains.set(domain, sem);
      }
      await sem.acquire();
      await this.global.acquire();
      try {
        s.lastStartAt = Math.max(s.lastStartAt, monotonicMs());
        return await fn();
      } finally {
        this.global.release();
        sem.release();
        s.jitterFraction = this.random() * this.opts.jitterRatio;
        s.lastEndAt = monotonicMs();
      }
    } finally {
      s.slots.release();
    }
  }
}
