// Typed errors shared by every layer: a code, what happened, and what to do about it.
// The CLI maps `exitCode` to the process exit status; nothing below cli/ exits the process.

export type ErrorCode =
  | "bad_usage"
  | "input_missing"
  | "input_binary"
  | "input_empty"
  | "input_unreadable"
  | "not_a_database"
  | "database_too_new"
  | "database_locked"
  | "database_readonly"
  | "disk_full"
  | "registry_invalid"
  | "crawl_locked"
  | "unsupported_format"
  | "attachment_failed";

export class NianbaoError extends Error {
  readonly code: ErrorCode;
  /** What the user can do about it. */
  readonly hint: string;
  /** 2 = bad usage or bad input, 1 = finished with failures. */
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, hint: string, exitCode = 2) {
    super(message);
    this.name = "NianbaoError";
    this.code = code;
    this.hint = hint;
    this.exitCode = exitCode;
  }
}
