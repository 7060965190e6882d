// Ctrl-C and SIGTERM for the long-running commands (crawl, demo): the first asks the run to stop after
// the requests in flight, the second quits at once (leases left behind are released by the next run).
import type { CliIO } from "./command.ts";

export interface Interrupts {
  /** Aborted on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** Stops listening (call when the run has ended). */
  release(): void;
}

export function catchInterrupts(commandName: string, io: CliIO): Interrupts {
  const controller = new AbortController();
  const onSignal = (sig: string) => {
    if (controller.signal.aborted) {
      // A second Ctrl-C: leave now. Leases left behind are released by the next run (as after kill -9).
      io.stderr(`nianbao ${commandName}: second ${sig}, stopping immediately\n`);
      process.exit(130);
    }
    io.stderr(
      `\nnianbao ${commandName}: ${sig} — finishing requests in flight, releasing the rest (Ctrl-C again to quit now)…\n`,
    );
    controller.abort();
  };
  const sigint = () => onSignal("SIGINT");
  const sigterm = () => onSignal("SIGTERM");
  process.on("SIGINT", sigint);
  process.on("SIGTERM", sigterm);
  return {
    signal: controller.signal,
    release() {
      process.off("SIGINT", sigint);
      process.off("SIGTERM", sigterm);
    },
  };
}
