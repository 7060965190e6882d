// The shape every CLI command has: a name, a help text, and a run function that returns an exit code.
// Commands get an IO object instead of touching process.* so tests can call them directly.

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: progress lines are drawn only then. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full --help text. */
  help: string;
  run(args: string[], io: CliIO): Promise<number>;
}
