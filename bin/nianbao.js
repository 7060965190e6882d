#!/usr/bin/env node
// Launcher. An installed package runs the compiled JavaScript in dist/ (no TypeScript tooling, fast
// start); a source checkout runs cli/*.ts through the tsx loader, so a stale dist/ is never run by mistake.
import { existsSync } from "node:fs";

const fromSource = existsSync(new URL("../cli/main.ts", import.meta.url));
let main;
if (fromSource) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../cli/main.ts"));
} else {
  ({ main } = await import("../dist/cli/main.js"));
}
process.exitCode = await main(process.argv.slice(2));
