// `nianbao serve [--db FILE] [--port N] [--host H]`: the web workbench until Ctrl-C.
import { NianbaoError } from "../../core/errors.ts";
import { startWorkbench } from "../../web/workbench-server.ts";
import type { Command } from "../command.ts";
import { DB_HELP, dbPathFrom, parseStoreArgs } from "../store-command-options.ts";

const HELP = `nianbao serve [--db FILE] [--port N] [--host ADDRESS]

A local web workbench over the database, read-only, with nothing fetched from elsewhere
(it works offline): the overview (reports by year and template, failed checks, sites),
agencies (search by name, filter by province, level, department, year), one agency across
years (renames folded in, changes from year to year, small charts), one report (its tables as
printed, each number linked to where it was read, checks and flags beside them, the archived
original), and full-text search. Stop it with Ctrl-C.

Options:
  --port N        the port (default 8321; 0 picks a free one)
  --host ADDRESS  the address to listen on (default 127.0.0.1: this machine only)
${DB_HELP}
  -h, --help      this help`;

export const command: Command = {
  name: "serve",
  summary: "web workbench on 127.0.0.1: agencies, years side by side, reports with provenance, search",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseStoreArgs("serve", args, {
      port: { type: "string" },
      host: { type: "string" },
    });
    if (positionals.length)
      throw new NianbaoError(
        "bad_usage",
        `unexpected argument "${positionals[0]}"`,
        "see `nianbao serve --help`",
      );
    const port = values.port ?? "8321";
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535)
      throw new NianbaoError(
        "bad_usage",
        `--port needs a port number (0–65535), not "${port}"`,
        "e.g. --port 8321",
      );
    const wb = await startWorkbench({
      dbPath: dbPathFrom(values.db, io),
      port: Number(port),
      host: typeof values.host === "string" ? values.host : undefined,
    });
    io.stderr(`workbench on ${wb.url} (read-only; Ctrl-C to stop)\n`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        done();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await wb.close();
    return 0;
  },
};
