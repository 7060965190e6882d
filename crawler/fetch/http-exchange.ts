// One HTTP request and its response, with connect/total timeouts and a body size cap enforced while
// streaming (never buffering past the cap). No policy here: retries, redirects and politeness live above.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate, constants as zlibConstants } from "node:zlib";
import { onAbort } from "../../core/abort-fan-out.ts";

/** Where to open the TCP connection for a URL; tests map every host to the farm on 127.0.0.1. */
export interface ConnectTarget {
  host: string;
  port: number;
  tls: boolean;
}
export type ConnectTo = (url: URL) => ConnectTarget | null;

export type ExchangeFailure =
  | "connect_timeout"
  | "timeout"
  | "network"
  | "tls"
  | "too_large"
  | "truncated"
  | "aborted";

/** Certificate and handshake failures: retrying cannot help; the registry's legacy_tls flag can. */
const TLS_ERROR =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH|ALTNAME/;

export class ExchangeError extends Error {
  readonly reason: ExchangeFailure;
  constructor(reason: ExchangeFailure, message: string) {
    super(message);
    this.name = "ExchangeError";
    this.reason = reason;
  }
}

export interface ExchangeOptions {
  headers: Record<string, string>;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxBodyBytes: number;
  /** Old ciphers and unverifiable chains, only for sites marked legacy_tls in the registry. */
  legacyTls?: boolean;
  connectTo?: ConnectTo;
  signal?: AbortSignal;
  /** Called once the request is written to the socket (after any connect and handshake). */
  onSent?: () => void;
  /** Called when the answer's status line and headers have arrived. */
  onAnswered?: () => void;
}

export interface RawResponse {
  url: string;
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  ms: number;
}

// The politeness gate bounds what is in flight (per host, per domain, overall); the agents must not
// be a second, hidden cap: with --connect-to every host shares one pool.
const MAX_SOCKETS = 1024;
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });
const legacyAgent = new HttpsAgent({
  keepAlive: true,
  maxSockets: 16,
  rejectUnauthorized: false,
  minVersion: "TLSv1",
  ciphers: "DEFAULT:@SECLEVEL=0",
});

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function decoderFor(encoding: string | undefined): Transform | null {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    case "deflate":
      return createInflate({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    case "br":
      return createBrotliDecompress();
    default:
      return null;
  }
}

export function exchange(url: string, opts: ExchangeOptions): Promise<RawResponse> {
  const started = performance.now();
  const u = new URL(url);
  const target = opts.connectTo?.(u) ?? {
    host: u.hostname,
    port: Number(u.port) || (u.protocol === "https:" ? 443 : 80),
    tls: u.protocol === "https:",
  };
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let unsubscribe: (() => void) | undefined;
    const fail = (err: ExchangeError) => {
      if (settled) return;
      settled = true;
      clearTimeout(totalTimer);
      clearTimeout(connectTimer);
      unsubscribe?.();
      req.destroy();
      reject(err);
    };
    const succeed = (r: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(totalTimer);
      clearTimeout(connectTimer);
      unsubscribe?.();
      resolve(r);
    };
    const requestFn = target.tls ? httpsRequest : httpRequest;
    const req = requestFn({
      host: target.host,
      port: target.port,
      method: "GET",
      path: `${u.pathname}${u.search}`,
      headers: { host: u.host, ...opts.headers },
      servername: target.tls ? u.hostname : undefined,
      agent: target.tls ? (opts.legacyTls ? legacyAgent : httpsAgent) : httpAgent,
    });
    const totalTimer = setTimeout(
      () => fail(new ExchangeError("timeout", `no complete answer within ${opts.totalTimeoutMs} ms`)),
      opts.totalTimeoutMs,
    );
    let connectTimer: NodeJS.Timeout | undefined;
    // "Sent" is when the request is written and its connection is up (TLS included): a request
    // written while the socket still connects only waits in the socket's buffer.
    let written = false;
    let connected = true;
    const maybeSent = () => {
      if (written && connected) opts.onSent?.();
    };
    req.on("socket", (socket) => {
      if (!(socket as { connecting?: boolean }).connecting) return; // reused keep-alive socket
      connected = false;
      connectTimer = setTimeout(
        () => fail(new ExchangeError("connect_timeout", `no connection within ${opts.connectTimeoutMs} ms`)),
        opts.connectTimeoutMs,
      );
      socket.once("connect", () => clearTimeout(connectTimer));
      socket.once(target.tls ? "secureConnect" : "connect", () => {
        connected = true;
        maybeSent();
      });
    });
    req.once("finish", () => {
      written = true;
      maybeSent();
    });
    // The error listener goes on first: fail() destroys the request, which may emit "error" at once.
    req.on("error", (err: NodeJS.ErrnoException) =>
      fail(
        new ExchangeError(
          target.tls && TLS_ERROR.test(err.code ?? "") ? "tls" : "network",
          `${err.code ?? "error"}: ${err.message}`,
        ),
      ),
    );
    const aborted = () => fail(new ExchangeError("aborted", "crawl interrupted"));
    if (opts.signal?.aborted) return aborted();
    unsubscribe = opts.signal ? onAbort(opts.signal, aborted) : undefined;
    req.on("response", (res) => {
      opts.onAnswered?.();
      const headers = flatHeaders(res);
      const declared = headers["content-length"] ? Number(headers["content-length"]) : null;
      if (declared !== null && declared > opts.maxBodyBytes) {
        return fail(
          new ExchangeError(
            "too_large",
            `Content-Length ${declared} exceeds the ${opts.maxBodyBytes}-byte cap`,
          ),
        );
      }
      const chunks: Buffer[] = [];
      let wireBytes = 0;
      let bodyBytes = 0;
      let wireEnded = false;
      const decoder = decoderFor(headers["content-encoding"]);
      const collect = (chunk: Buffer) => {
        bodyBytes += chunk.length;
        if (bodyBytes > opts.maxBodyBytes) {
          fail(new ExchangeError("too_large", `body exceeds the ${opts.maxBodyBytes}-byte cap`));
          return;
        }
        chunks.push(chunk);
      };
      const finish = () => {
        if (declared !== null && wireBytes < declared) {
          return fail(new ExchangeError("truncated", `body ended after ${wireBytes} of ${declared} bytes`));
        }
        succeed({
          url,
          status: res.statusCode ?? 0,
          headers,
          body: Buffer.concat(chunks),
          ms: performance.now() - started,
        });
      };
      res.on("data", (chunk: Buffer) => {
        wireBytes += chunk.length;
        if (decoder) decoder.write(chunk);
        else collect(chunk);
      });
      res.on("end", () => {
        wireEnded = true;
        if (decoder) decoder.end();
        else finish();
      });
      res.on("error", () =>
        fail(new ExchangeError("truncated", `connection closed after ${wireBytes} bytes`)),
      );
      res.on("close", () => {
        if (!wireEnded) fail(new ExchangeError("truncated", `connection closed after ${wireBytes} bytes`));
      });
      if (decoder) {
        decoder.on("data", collect);
        decoder.on("end", finish);
        decoder.on("error", (err) =>
          fail(new ExchangeError("truncated", `bad ${headers["content-encoding"]} body: ${err.message}`)),
        );
      }
    });
    req.end();
  });
}
