// Entry point of the `nianbao` command: picks the subcommand, prints help, maps errors to exit codes.
// The only module (with cli/commands/*) that reads argv, env and the terminal.

import { NianbaoError } from "../core/errors.ts";
import { packageInfo } from "../core/package-info.ts";
import type { CliIO, Command } from "./command.ts";
import { terminalSafe } from "./terminal-text.ts";

/**
 * The commands, each loaded only when run: `nianbao --help` reads this list and loads none of them
 * (no SQLite driver, PDF reader or browser client), so it starts in a fraction of a second.
 * The summaries repeat each command's own (test/cli-startup.test.ts keeps them equal).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ command: Command }>;
}

export const COMMANDS: CommandEntry[] = [
  {
    name: "extract",
    summary: "extract one saved page or URL and print its record (--json for scripts)",
    load: () => import("./commands/extract.ts"),
  },
  {
    name: "crawl",
    summary: "crawl the registry's portals into the database (polite, resumable)",
    load: () => import("./commands/crawl.ts"),
  },
  {
    name: "import",
    summary: "store saved pages (files or folders) as if fetched, and extract them",
    load: () => import("./commands/import.ts"),
  },
  {
    name: "reextract",
    summary: "re-run extraction over stored pages and print what changed",
    load: () => import("./commands/reextract.ts"),
  },
  {
    name: "export",
    summary: "write a view (default: disclosure counts) as CSV or JSON, with datapackage.json",
    load: () => import("./commands/export.ts"),
  },
  {
    name: "compare",
    summary: "one agency's key numbers across years, side by side",
    load: () => import("./commands/compare.ts"),
  },
  {
    name: "show",
    summary: "one stored report: values with where each was read, checks, flags, sources",
    load: () => import("./commands/show.ts"),
  },
  {
    name: "search",
    summary: "full-text search over report texts (Chinese works)",
    load: () => import("./commands/search.ts"),
  },
  {
    name: "checks",
    summary: "arithmetic checks per report (--failed: only failures, with the detail)",
    load: () => import("./commands/checks.ts"),
  },
  {
    name: "sites",
    summary: "validate the sites registry; show each site's health",
    load: () => import("./commands/sites.ts"),
  },
  {
    name: "stats",
    summary: "counts: sites, pages, reports by year and template, failures",
    load: () => import("./commands/stats.ts"),
  },
  {
    name: "serve",
    summary: "web workbench on 127.0.0.1: agencies, years side by side, reports with provenance, search",
    load: () => import("./commands/serve.ts"),
  },
  {
    name: "demo",
    summary: "crawl the bundled demo portals (offline) into ./demo.sqlite and export a CSV",
    load: () => import("./commands/demo.ts"),
  },
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
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`nianbao: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const cmd = (await entry.load()).command;
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`${cmd.help.trimEnd()}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof NianbaoError) {
      // Messages may quote file names and page text: escaped like all terminal output.
      io.stderr(`${terminalSafe(`nianbao ${name}: ${err.message}`)}\n  → ${terminalSafe(err.hint)}\n`);
      return err.exitCode;
    }
    const path = (err as { path?: unknown }).path;
    const errno = (err as { code?: unknown }).code;
    if (typeof path === "string" && typeof errno === "string") {
      // A file-system error nobody mapped yet is still the user's path: one line naming it, no stack.
      io.stderr(
        `${terminalSafe(`nianbao ${name}: cannot use ${path} (${errno})`)}\n  → check the path and its permissions\n`,
      );
      return 2;
    }
    throw err;
  }
}
