// Fetches one URL the way the crawl needs it: allowlist and robots.txt checked on every hop, the
// politeness gate and retry policy around each exchange, redirects (HTTP and shells), conditional GET, decoding.
import type { Logger } from "pino";
import { decodeBody, decodeServed } from "../decode/decode-body.ts";
import {
  CircuitOpenError,
  GateAbortedError,
  type HostGate,
  sleepUnlessAborted,
} from "../politeness/host-gate.ts";
import { backoffMs, isRetryableStatus, type RetryPolicy, retryAfterMs } from "../politeness/retry-policy.ts";
import {
  ALLOW_ALL,
  disallowAll,
  isAllowedByRobots,
  parseRobots,
  type RobotsPolicy,
} from "../robots/robots-txt.ts";
import { isAllowedOrigin } from "../url/allowed-origin.ts";
import { canonicalUrl } from "../url/canonical-url.ts";
import { type Challenge, detectChallenge } from "./challenge-detect.ts";
import { type ConnectTo, ExchangeError, exchange, type RawResponse } from "./http-exchange.ts";
import { type FileType, magicType } from "./magic-type.ts";
import { redirectShellTarget } from "./redirect-shell.ts";

export type FetchKind = "list" | "report" | "attachment";
export type FetchOutcomeKind = "ok" | "not_modified" | "failed" | "skipped" | "blocked";

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export interface FetchRequest {
  url: string;
  kind: FetchKind;
  /** The site's allow list (`siteAllowList`): hosts, and `host:port` for a non-default port. */
  allowedHosts: readonly string[];
  validators?: Validators | null;
  legacyTls?: boolean;
  /** Registry charset override (a portal known to lie in its headers). */
  charset?: string;
}

export interface FetchResult {
  url: string;
  finalUrl: string;
  status: number | null;
  headers: Record<string, string>;
  body: Buffer | null;
  outcome: FetchOutcomeKind;
  reason: string | null;
  fileType: FileType | null;
  encoding: string | null;
  text: string | null;
  attempts: number;
  ms: number;
  redirects: string[];
  challenge: Challenge | null;
  fetchedAt: string;
}

export interface FetcherOptions {
  userAgent: string;
  /** The robots.txt product token (e.g. "nianbao"). */
  productToken: string;
  gate: HostGate;
  retry: RetryPolicy;
  logger: Logger;
  connectTo?: ConnectTo;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxHtmlBytes: number;
  maxAttachmentBytes: number;
  maxRedirects: number;
  maxCrawlDelayMs: number;
  /** Robots.txt is not consulted (benchmarks against generated hosts only). */
  ignoreRobots?: boolean;
  /** Called with each robots.txt answered 200, so the crawl can archive it like every fetched body. */
  onRobots?: (fetched: RobotsFetch) => void | Promise<void>;
  signal?: AbortSignal;
  random?: () => number;
}

const TEXT_TYPES = new Set<FileType>(["html", "xml", "json", "text"]);

export interface RobotsFetch {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  fetchedAt: string;
}

type Exchanged =
  | { res: RawResponse; attempts: number }
  | { failure: string; attempts: number; res?: RawResponse };

export class PageFetcher {
  private readonly robots = new Map<string, Promise<RobotsPolicy>>();

  constructor(private readonly opts: FetcherOptions) {}

  /** The robots policy per origin, fetched once per run; its redirects stay inside `allowList`. */
  robotsFor(url: URL, legacyTls = false, allowList: readonly string[] = []): Promise<RobotsPolicy> {
    if (this.opts.ignoreRobots) return Promise.resolve(ALLOW_ALL);
    let p = this.robots.get(url.origin);
    if (!p) {
      p = this.loadRobots(url, legacyTls, allowList);
      this.robots.set(url.origin, p);
    }
    return p;
  }

  private async loadRobots(
    url: URL,
    legacyTls: boolean,
    allowList: readonly string[],
  ): Promise<RobotsPolicy> {
    const first = `${url.origin}/robots.txt`;
    let target = first;
    for (let hop = 0; hop <= 5; hop++) {
      const host = new URL(target).hostname;
      // A hop off the allowed origins is never sent: like a redirect chain too long to follow (RFC
      // 9309 §2.3.1.2), the file counts as unavailable.
      if (hop > 0 && !isAllowedOrigin(target, allowList)) {
        this.opts.logger.warn(
          { url: first, redirect: target },
          "robots.txt redirects off the allowed origins: not followed, read as unavailable",
        );
        return ALLOW_ALL;
      }
      const fetchedAt = new Date().toISOString();
      let res: RawResponse;
      try {
        res = await this.opts.gate.run(
          host,
          (sent, answered) => this.send(target, this.baseHeaders(), 512 * 1024, legacyTls, sent, answered),
          { countFromEnd: true },
        );
      } catch (err) {
        const why = err instanceof ExchangeError ? err.reason : (err as Error).message;
        this.opts.logger.warn(
          { url: target, reason: why },
          "robots.txt unreachable: host disallowed for this run",
        );
        return disallowAll(`robots.txt unreachable (${why})`);
      }
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        target = new URL(res.headers.location, target).href;
        continue;
      }
      if (res.status >= 500) {
        this.opts.logger.warn(
          { url: target, status: res.status },
          "robots.txt server error: host disallowed for this run",
        );
        return disallowAll(`robots.txt answered HTTP ${res.status}`);
      }
      if (res.status >= 400) return ALLOW_ALL; // RFC 9309 §2.3.1.3: unavailable → no restrictions
      try {
        await this.opts.onRobots?.({
          url: first,
          finalUrl: target,
          status: res.status,
          headers: res.headers,
          body: res.body,
          fetchedAt,
        });
      } catch (err) {
        // Archiving is a record, not a condition of the crawl: a storage failure surfaces on the next page.
        this.opts.logger.warn({ url: target, err: (err as Error).message }, "robots.txt not archived");
      }
      const policy = parseRobots(
        decodeBody(res.body, res.headers["content-type"]).text,
        this.opts.productToken,
      );
      if (policy.crawlDelayMs !== null) {
        this.opts.gate.setDelay(url.hostname, Math.min(this.opts.maxCrawlDelayMs, policy.crawlDelayMs));
      }
      return policy;
    }
    return ALLOW_ALL;
  }

  private baseHeaders(): Record<string, string> {
    return {
      "user-agent": this.opts.userAgent,
      accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
      "accept-language": "zh-CN,zh;q=0.9",
      "accept-encoding": "gzip, deflate, br",
    };
  }

  private send(
    url: string,
    headers: Record<string, string>,
    maxBodyBytes: number,
    legacyTls = false,
    onSent?: () => void,
    onAnswered?: () => void,
  ): Promise<RawResponse> {
    return exchange(url, {
      onSent,
      onAnswered,
      headers,
      connectTimeoutMs: this.opts.connectTimeoutMs,
      totalTimeoutMs: this.opts.totalTimeoutMs,
      maxBodyBytes,
      legacyTls,
      connectTo: this.opts.connectTo,
      signal: this.opts.signal,
    });
  }

  /** A backoff wait; false when the crawl was interrupted during it. */
  private async pause(ms: number): Promise<boolean> {
    try {
      await sleepUnlessAborted(ms, this.opts.signal);
      return true;
    } catch {
      return false;
    }
  }

  /** One URL through gate + retries. Retries only network errors, 408, 429 and 5xx; challenges never. */
  private async exchangeWithRetry(
    url: string,
    headers: Record<string, string>,
    maxBodyBytes: number,
    legacyTls: boolean,
  ): Promise<Exchanged> {
    const { gate, retry } = this.opts;
    const host = new URL(url).hostname;
    let attempts = 0;
    for (let attempt = 0; ; attempt++) {
      if (gate.isOpen(host)) return { failure: "circuit_open", attempts };
      attempts++;
      let res: RawResponse;
      try {
        res = await gate.run(host, (sent, answered) =>
          this.send(url, headers, maxBodyBytes, legacyTls, sent, answered),
        );
      } catch (err) {
        if (err instanceof CircuitOpenError) return { failure: "circuit_open", attempts };
        if (err instanceof GateAbortedError) return { failure: "aborted", attempts };
        if (!(err instanceof ExchangeError)) throw err;
        if (err.reason === "aborted") return { failure: "aborted", attempts };
        if (err.reason === "too_large") return { failure: `too_large: ${err.message}`, attempts };
        if (err.reason === "tls") {
          gate.recordFailure(host);
          return {
            failure: `tls: ${err.message} (mark the site legacy_tls if the portal is known to have a bad chain)`,
            attempts,
          };
        }
        gate.recordFailure(host);
        this.opts.logger.warn(
          { url, attempt: attempts, reason: err.reason, detail: err.message },
          "fetch attempt failed",
        );
        if (attempt >= retry.maxRetries) return { failure: `${err.reason}: ${err.message}`, attempts };
        if (!(await this.pause(backoffMs(retry, attempt, this.opts.random))))
          return { failure: "aborted", attempts };
        continue;
      }
      if (!isRetryableStatus(res.status)) {
        gate.recordSuccess(host);
        return { res, attempts };
      }
      // A challenge shell answering 5xx (加速乐 uses 521) is not retried: more requests only make it worse.
      if (detectChallenge(res.status, res.body.toString("latin1"))) {
        gate.recordFailure(host);
        gate.slowDown(host);
        return { res, attempts };
      }
      gate.recordFailure(host);
      if (res.status === 429 || res.status === 503) gate.slowDown(host);
      const waitMs = retryAfterMs(res.headers["retry-after"]);
      this.opts.logger.warn(
        { url, attempt: attempts, status: res.status, retryAfterMs: waitMs },
        "fetch attempt failed",
      );
      if (waitMs !== null && waitMs > retry.maxRetryAfterMs) {
        return { failure: `retry_after_too_long: ${waitMs} ms`, attempts, res };
      }
      if (waitMs !== null) gate.pause(host, waitMs);
      if (attempt >= retry.maxRetries) return { res, attempts };
      if (!(await this.pause(backoffMs(retry, attempt, this.opts.random))))
        return { failure: "aborted", attempts };
    }
  }

  async fetch(req: FetchRequest): Promise<FetchResult> {
    const started = performance.now();
    const fetchedAt = new Date().toISOString();
    const redirects: string[] = [];
    const visited = new Set<string>([req.url]);
    let current = req.url;
    let attempts = 0;
    const result = (r: Partial<FetchResult> & Pick<FetchResult, "outcome">): FetchResult => ({
      url: req.url,
      finalUrl: current,
      status: null,
      headers: {},
      body: null,
      reason: null,
      fileType: null,
      encoding: null,
      text: null,
      challenge: null,
      attempts,
      ms: performance.now() - started,
      redirects,
      fetchedAt,
      ...r,
    });
    const maxBodyBytes = req.kind === "attachment" ? this.opts.maxAttachmentBytes : this.opts.maxHtmlBytes;
    const follow = (location: string, res: RawResponse): FetchResult | null => {
      const next = canonicalUrl(location, current);
      if (!next)
        return result({ outcome: "failed", status: res.status, reason: `bad redirect target ${location}` });
      if (visited.has(next))
        return result({ outcome: "failed", status: res.status, reason: `redirect_loop at ${next}` });
      if (redirects.length >= this.opts.maxRedirects) {
        return result({
          outcome: "failed",
          status: res.status,
          reason: `too_many_redirects (> ${this.opts.maxRedirects})`,
        });
      }
      visited.add(next);
      redirects.push(next);
      current = next;
      return null;
    };

    for (;;) {
      const u = new URL(current);
      if (!isAllowedOrigin(u, req.allowedHosts)) {
        return result({ outcome: "skipped", reason: `offsite: ${u.host} is not an allowed origin` });
      }
      const robots = await this.robotsFor(u, req.legacyTls ?? false, req.allowedHosts);
      if (!isAllowedByRobots(robots, `${u.pathname}${u.search}`)) {
        return result({ outcome: "skipped", reason: robots.disallowAllReason ?? "robots_disallowed" });
      }
      const headers = this.baseHeaders();
      if (current === req.url && req.validators) {
        if (req.validators.etag) headers["if-none-match"] = req.validators.etag;
        if (req.validators.lastModified) headers["if-modified-since"] = req.validators.lastModified;
      }
      const ex = await this.exchangeWithRetry(current, headers, maxBodyBytes, req.legacyTls ?? false);
      attempts += ex.attempts;
      if ("failure" in ex) {
        return result({
          outcome: "failed",
          status: ex.res?.status ?? null,
          headers: ex.res?.headers ?? {},
          reason: ex.failure,
        });
      }
      const res = ex.res;
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        if (!res.headers.location)
          return result({ outcome: "failed", status: res.status, reason: "redirect without Location" });
        const stop = follow(res.headers.location, res);
        if (stop) return stop;
        continue;
      }
      if (res.status === 304) {
        return result({ outcome: "not_modified", status: 304, headers: res.headers });
      }
      const fileType = magicType(res.body, /\.([a-z0-9]+)$/i.exec(u.pathname)?.[1] ?? "");
      let text: string | null = null;
      let encoding: string | null = null;
      if (TEXT_TYPES.has(fileType)) {
        const decoded = decodeServed(res.body, res.headers["content-type"], req.charset);
        text = decoded.text;
        encoding = decoded.encoding;
      }
      const base = { status: res.status, headers: res.headers, body: res.body, fileType, text, encoding };
      const challenge = text !== null ? detectChallenge(res.status, text) : null;
      if (challenge) return result({ ...base, outcome: "blocked", reason: challenge.reason, challenge });
      if (res.status >= 400) return result({ ...base, outcome: "failed", reason: `http_${res.status}` });
      if (fileType === "html" && text !== null) {
        const target = redirectShellTarget(text);
        if (target) {
          const stop = follow(target, res);
          if (stop) return stop;
          continue;
        }
      }
      return result({ ...base, outcome: "ok" });
    }
  }
}
