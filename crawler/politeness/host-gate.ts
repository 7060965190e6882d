// The politeness gate every request passes: per host one in flight and starts spaced by the delay
// (start to start, a small upward jitter), per registrable domain at most N in flight, a global cap
// that follows the hosts with work, pauses (Retry-After), slow-down and the circuit breaker.
import { onAbort } from "../../core/abort-fan-out.ts";
import { registrableDomain } from "../url/allowed-host.ts";
import { Semaphore } from "./semaphore.ts";

/** Time as the gate sees it: the monotonic clock and timers, or a virtual clock in tests. */
export interface GateClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** "auto": one request in flight per host with work, at least AUTO_MIN_GLOBAL, at most maxGlobalConcurrency. */
export type GlobalConcurrency = number | "auto";

/** Below this many hosts with work the auto cap stays here (a crawl of a few hosts needs no tuning). */
export const AUTO_MIN_GLOBAL = 8;
/** The auto cap's ceiling: sockets and response buffers the machine holds at once. */
export const DEFAULT_MAX_GLOBAL_CONCURRENCY = 256;

/** Without politeness no start is counted: sent() and answered() mark nothing. */
const NOTHING_TO_MARK = () => {};

/** How far an answer can move a request's counted start past its send, as a fraction of the delay. */
export const ANSWER_SHIFT_CAP = 0.05;

export interface HostGateOptions {
  /** false: no per-host serialising or delay (benchmarks, never real portals). */
  politeness: boolean;
  globalConcurrency: GlobalConcurrency;
  /** The ceiling of the "auto" global cap (default DEFAULT_MAX_GLOBAL_CONCURRENCY). */
  maxGlobalConcurrency?: number;
  perDomainConcurrency: number;
  defaultDelayMs: number;
  /** Extra wait as a fraction of the delay, drawn per start, only ever added: 0.025 → delay … 1.025 × delay. */
  jitterRatio: number;
  /**
   * The smallest extra fraction (default 0): a margin so that the starts the server sees, which a
   * new connection or a busy event loop shifts by a few ms, stay at or above the delay.
   */
  jitterFloorRatio?: number;
  /** A slowed-down host's delay never goes beyond this. */
  maxDelayMs: number;
  /** Consecutive failures that open a host's circuit for the rest of the run. */
  circuitThreshold: number;
  random?: () => number;
  /** Aborting stops every wait at once (Ctrl-C must not sit out a long Retry-After). */
  signal?: AbortSignal;
  clock?: GateClock;
}

interface HostState {
  delayMs: number;
  /** When the last request to the host started; the next starts ≥ delay × (1 + gapFraction) later. */
  lastStartAt: number;
  /** The jitter of the gap after the last start, drawn when it started. */
  gapFraction: number;
  /** In-flight slots for the host: 1 unless the site's rate.concurrency says more. */
  slots: Semaphore;
  /** One request at a time waits for its turn and its caps, so two slots never take one start. */
  admission: Semaphore;
  /** Requests of this host inside run() (waiting or in flight): the auto global cap counts hosts with any. */
  pending: number;
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
    const timer = setTimeout(() => {
      unsubscribe?.();
      ok();
    }, ms);
    const unsubscribe = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          fail(new GateAbortedError());
        })
      : undefined;
  });
}

/** Gaps are measured on the monotonic clock: a wall-clock step (NTP) must not shorten a delay. */
const MONOTONIC_CLOCK: GateClock = { now: () => performance.now(), sleep: sleepUnlessAborted };

export class HostGate {
  private readonly hosts = new Map<string, HostState>();
  private readonly domains = new Map<string, Semaphore>();
  /** Domain caps asked for by a site (rate.per_domain) before the domain's first request. */
  private readonly domainLimits = new Map<string, number>();
  private readonly global: Semaphore;
  private readonly random: () => number;
  private readonly clock: GateClock;
  /** The fastest answer of any host so far (answeredAfter). */
  private fastestAnswerMs = Number.POSITIVE_INFINITY;
  /** Hosts with a request inside run(): what the auto global cap follows. */
  private hostsWithWork = 0;

  constructor(private readonly opts: HostGateOptions) {
    this.random = opts.random ?? Math.random;
    this.clock = opts.clock ?? MONOTONIC_CLOCK;
    this.global = new Semaphore(this.globalLimitFor(0));
  }

  /** The global cap for this many hosts with work. */
  private globalLimitFor(hosts: number): number {
    const g = this.opts.globalConcurrency;
    if (g !== "auto") return g;
    const max = this.opts.maxGlobalConcurrency ?? DEFAULT_MAX_GLOBAL_CONCURRENCY;
    return Math.min(max, Math.max(AUTO_MIN_GLOBAL, hosts));
  }

  /** Requests allowed in flight overall right now. */
  globalLimit(): number {
    return this.global.limit;
  }

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) {
      s = {
        delayMs: this.opts.defaultDelayMs,
        lastStartAt: Number.NEGATIVE_INFINITY,
        gapFraction: 0,
        slots: new Semaphore(1),
        admission: new Semaphore(1),
        pending: 0,
        pausedUntil: Number.NEGATIVE_INFINITY,
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
    this.state(host).slots.limit = concurrency;
  }

  /**
   * Requests in flight allowed to the host's registrable domain (a site's rate.per_domain); call
   * before the domain's first request. Two sites asking differently for one domain: the smaller wins.
   */
  initDomainConcurrency(host: string, concurrency: number): void {
    const domain = registrableDomain(host);
    const n = Math.max(1, Math.floor(concurrency));
    const asked = Math.min(this.domainLimits.get(domain) ?? n, n);
    this.domainLimits.set(domain, asked);
    const sem = this.domains.get(domain);
    if (sem) sem.limit = asked;
  }

  delayOf(host: string): number {
    return this.state(host).delayMs;
  }

  /** Retry-After: nothing goes to the host before `ms` from now. */
  pause(host: string, ms: number): void {
    const s = this.state(host);
    s.pausedUntil = Math.max(s.pausedUntil, this.clock.now() + ms);
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

  /**
   * Runs `fn` (one HTTP exchange) when the host, its domain and the global cap all allow it. `fn` may
   * call `sent()` once the request has left (a new connection or TLS handshake comes first): the next
   * start is then counted from there, so the gap the server sees is not shortened by this one's connect.
   * `fn` may also call `answered()` when the answer's first bytes arrive: see answeredAfter.
   * `countFromEnd`: the next request waits the delay from this one's answer instead (robots.txt: every
   * host's comes in one burst at the start, which a server stamps late, and the first page needs it anyway).
   */
  async run<T>(
    host: string,
    fn: (sent: () => void, answered: () => void) => Promise<T>,
    how: { countFromEnd?: boolean } = {},
  ): Promise<T> {
    if (!this.opts.politeness) {
      await this.global.acquire();
      try {
        return await fn(NOTHING_TO_MARK, NOTHING_TO_MARK);
      } finally {
        this.global.release();
      }
    }
    const s = this.state(host);
    this.countWork(s, +1);
    try {
      // The host's slots: with one slot, the next request starts only after this one ended.
      await s.slots.acquire();
      try {
        const caps = await this.admit(host, s);
        let sentAt = s.lastStartAt;
        const sent = () => {
          sentAt = this.clock.now();
          s.lastStartAt = Math.max(s.lastStartAt, sentAt);
        };
        const answered = () => this.answeredAfter(s, sentAt);
        try {
          return await fn(sent, answered);
        } finally {
          if (how.countFromEnd) sent();
          this.global.release();
          caps.release();
        }
      } finally {
        s.slots.release();
      }
    } finally {
      this.countWork(s, -1);
    }
  }

  /**
   * A server stamps a request when its own event loop gets to it: behind a burst of requests (ours to
   * its other hosts, all starting together) that can be tens of ms after we sent it, and the next gap
   * it sees is that much shorter. It cannot stamp later than it answers, so an answer slower than the
   * fastest answer of the run moves the counted start to the answer less that fastest time: the latest
   * the server can have stamped it. The fastest of all hosts, not the host's own: a host's first
   * answers all come in the start-up burst. The move is capped (ANSWER_SHIFT_CAP of the delay): a
   * slow answer is still followed at once, as start-to-start spacing means, and a host slower than
   * the fastest loses at most that much of its rate.
   */
  private answeredAfter(s: HostState, sentAt: number): void {
    const now = this.clock.now();
    const took = now - sentAt;
    if (!(took >= 0)) return; // never sent (sentAt −∞) or the clock stepped back
    this.fastestAnswerMs = Math.min(this.fastestAnswerMs, took);
    const latestStamp = Math.min(now - this.fastestAnswerMs, sentAt + ANSWER_SHIFT_CAP * s.delayMs);
    s.lastStartAt = Math.max(s.lastStartAt, latestStamp);
  }

  /**
   * Waits for the host's turn (its last start + delay + jitter, and any Retry-After pause), then for
   * its domain's and the global cap, and stamps the start. Returns the domain semaphore, held.
   */
  private async admit(host: string, s: HostState): Promise<Semaphore> {
    await s.admission.acquire();
    try {
      if (this.opts.signal?.aborted) throw new GateAbortedError();
      if (s.circuitOpen) throw new CircuitOpenError(host);
      for (;;) {
        // Read the delay now, not when the last request started: robots.txt or a 429 may have raised it since.
        const at = Math.max(s.lastStartAt + s.delayMs * (1 + s.gapFraction), s.pausedUntil);
        const wait = at - this.clock.now();
        if (wait <= 0) break;
        await this.clock.sleep(wait, this.opts.signal);
      }
      const domain = this.domainSemaphore(host);
      await domain.acquire();
      await this.global.acquire();
      // The start is stamped once every cap let it through: a wait on a cap only widens the gap.
      s.lastStartAt = this.clock.now();
      s.gapFraction = this.drawJitter();
      return domain;
    } finally {
      s.admission.release();
    }
  }

  private drawJitter(): number {
    const floor = Math.min(this.opts.jitterFloorRatio ?? 0, this.opts.jitterRatio);
    return floor + this.random() * (this.opts.jitterRatio - floor);
  }

  private domainSemaphore(host: string): Semaphore {
    const domain = registrableDomain(host);
    let sem = this.domains.get(domain);
    if (!sem) {
      sem = new Semaphore(this.domainLimits.get(domain) ?? this.opts.perDomainConcurrency);
      this.domains.set(domain, sem);
    }
    return sem;
  }

  /** Keeps the count of hosts with work, and the auto global cap with it. */
  private countWork(s: HostState, d: 1 | -1): void {
    s.pending += d;
    if ((d === 1 && s.pending === 1) || (d === -1 && s.pending === 0)) {
      this.hostsWithWork += d;
      const limit = this.globalLimitFor(this.hostsWithWork);
      if (limit !== this.global.limit) this.global.limit = limit;
    }
  }
}
