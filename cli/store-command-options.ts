// Argument parsing shared by the database commands: --db / NIANBAO_DB, --json, and usage errors
// that name the command. Keeps the seven store commands consistent.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { NianbaoError } from "../core/errors.ts";
import { databasePath } from "../pipeline/open-database.ts";
import type { CliIO } from "./command.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

export const DB_HELP = "  --db FILE     the database (default ./nianbao.sqlite, or NIANBAO_DB)";

type StoreArgsConfig<O extends Options> = {
  args: string[];
  allowPositionals: true;
  strict: true;
  options: O & { db: { type: "string" } };
};

export function parseStoreArgs<O extends Options>(
  name: string,
  args: string[],
  options: O,
): ReturnType<typeof parseArgs<StoreArgsConfig<O>>> {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { db: { type: "string" }, ...options } as O & { db: { type: "string" } },
    });
  } catch (err) {
    throw new NianbaoError("bad_usage", (err as Error).message, `see \`nianbao ${name} --help\``);
  }
}

export function dbPathFrom(flag: string | boolean | undefined, io: CliIO): string {
  return databasePath(typeof flag === "string" ? flag : undefined, io.env.NIANBAO_DB, io.cwd);
}

export function yearOption(
  name: string,
  flag: string,
  value: string | boolean | undefined,
): number | undefined {
  if (value === undefined || typeof value === "boolean") return undefined;
  if (!/^\d{4}$/.test(value))
    throw new NianbaoError(
      "bad_usage",
      `${flag} needs a four-digit year, not "${value}"`,
      `see \`nianbao ${name} --help\``,
    );
  return Number(value);
}
