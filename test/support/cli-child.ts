// The real CLI as a child process (`node bin/nianbao.js …` from the project root), for tests that kill,
// interrupt or lock it: the child to signal, and its exit with everything it printed.
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

export const PROJECT_ROOT = resolve(import.meta.dirname, "../..");

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(args: string[]): { child: ChildProcess; done: Promise<CliExit> } {
  const child = spawn(process.execPath, ["bin/nianbao.js", ...args], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliExit>((ok) =>
    child.on("exit", (code, signal) => ok({ code, signal, stdout, stderr })),
  );
  return { child, done };
}
