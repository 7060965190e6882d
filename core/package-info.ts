// The package's own name and version, read from its package.json: one place for `--version` and the
// library API, whether the code runs from source (core/) or compiled (dist/core/).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface PackageInfo {
  name: string;
  version: string;
}

let cached: PackageInfo | undefined;

/** Walks up from this module to the first package.json named nianbao (two levels from dist/core/). */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as Partial<PackageInfo>;
      if (pkg.name === "nianbao" && typeof pkg.version === "string") {
        cached = { name: pkg.name, version: pkg.version };
        return cached;
      }
    }
    dir = dirname(dir);
  }
  // A copy of the sources without their package.json still answers rather than failing `--version`.
  cached = { name: "nianbao", version: "unknown" };
  return cached;
}
