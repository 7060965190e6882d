// Entry point of the `nianbao` command: picks the subcommand, prints help, maps errors to exit codes.
// The only module (with cli/commands/*) that reads argv, env and the terminal.

import { NianbaoError } from "../core/errors.ts";
import { packageInfo } from "../core/package-info.ts";
import type { CliIO, Command } from "./command.ts";
import { command as checks } from "./commands/checks.ts";
import { command as compare } from "./commands/compare.ts";
import { command as crawl } from "./commands/crawl.ts";
import { command as demo } from "./commands/demo.ts";
import { command as exportCmd } from "./commands/export.ts";
import { command as extract } from "./commands/extract.ts";
import { command as importCmd } from "./commands/import.ts";
import { command as reextract } from "./commands/reextract.ts";
import { command as search } from "./commands/search.ts";
import { command as show } from "./commands/show.ts";
import { command as sites } from "./commands/sites.ts";
import { command as stats } from "./commands/stats.ts";

export const COMMANDS: Command[] = [
  extract,
  crawl,
  importCmd,
  reextract,
  exportCmd,
  compare,
  show,
  search,
  checks,
  sites,
  stats,
  demo,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "nianbao — annual reports on Open Government Information (政府信息公开工作年度报告), as data",
    "",
    "Usage: nianbao <command> [options]   (nianbao <command> --help for details)",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Database: ./nianbao.sqlite unless --db FILE or NIANBAO_DB is given.",
    "Every --json prints snake_case keys, as the database names its columns.",
    "nianbao --version prints the package version and the extractor version beside it.",
    "Exit codes: 0 ok, 1 finished with failures, 2 bad usage or bad input, 130 interrupted.",
  ].join("\n");
}

export function processIO(): CliIO {
  // `nianbao export csv | head`: the reader went away, which is not an error.
  process.stdout.once("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(`${usage()}\n`);
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-V") {
    const { EXTRACTOR_VERSION } = await import("../extract/schema.ts");
    io.stdout(`nianbao ${packageInfo().version} (extractor ${EXTRACTOR_VERSION})\n`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`nianbao: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`${cmd.help.trimEnd()}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof NianbaoError) {
      io.stderr(`nianbao ${name}: ${err.message}\n  → ${err.hint}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
