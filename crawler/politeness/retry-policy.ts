// When a failed exchange is tried again and how long to wait: at most 3 retries, exponential
// backoff with full jitter, only for network errors, 408, 429 and 5xx; Retry-After read in both forms.

export interface RetryPolicy {
  maxRetries: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** A Retry-After longer than this is not waited for: the page fails with that reason. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseBackoffMs: 1000,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base × 2^attempt)). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** attempt));
}

/** Retry-After as delta-seconds or an HTTP-date, in ms from `now`; null if absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
