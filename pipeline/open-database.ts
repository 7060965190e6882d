// Which database file a command uses, and opening it: the one place the default name lives.
// The CLI passes the --db flag and NIANBAO_DB value in; nothing here reads the environment.
import { resolve } from "node:path";
import { type OpenStoreOptions, openStore, type Store } from "../store/index.ts";

export const DEFAULT_DATABASE_FILE = "nianbao.sqlite";

/** --db wins, then NIANBAO_DB, then ./nianbao.sqlite in the working folder. */
export function databasePath(flag: string | undefined, envValue: string | undefined, cwd: string): string {
  const chosen = flag?.trim() || envValue?.trim() || DEFAULT_DATABASE_FILE;
  return resolve(cwd, chosen);
}

/** Opens for writing (creating the file unless `mustExist`). */
export function openDatabase(path: string, opts: Omit<OpenStoreOptions, "readonly"> = {}): Store {
  return openStore(path, opts);
}

/** Opens an existing database for the reading commands; never creates a file. */
export function openDatabaseForReading(path: string): Store {
  return openStore(path, { readonly: true, mustExist: true });
}
