// Start-up of the installed CLI: builds dist/ (npm run build), then times `nianbao --help` and
// `nianbao --version` run from the compiled code as an installed package runs them (median of 9).
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { benchResult } from "./bench-result.ts";

const ROOT = join(import.meta.dirname, "..");
execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });

function medianMs(argv: string[]): number {
  const script = `const { main } = await import(${JSON.stringify(join(ROOT, "dist/cli/main.js"))}); process.exitCode = await main(${JSON.stringify(argv)});`;
  const runs: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`nianbao ${argv.join(" ")} exited ${r.status}`);
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return runs.sort((a, b) => a - b)[4] as number;
}

const help = medianMs(["--help"]);
const version = medianMs(["--version"]);
const node = (() => {
  const runs: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ["-e", "0"], { stdio: "ignore" });
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return runs.sort((a, b) => a - b)[4] as number;
})();
console.log(`nianbao --help: ${help.toFixed(0)} ms (compiled; node itself starts in ${node.toFixed(0)} ms)`);
console.log(`nianbao --version: ${version.toFixed(0)} ms`);
benchResult("startup", [
  { name: "nianbao --help, compiled", value: help, unit: "ms", target: { op: "<", value: 300 } },
  { name: "nianbao --version, compiled", value: version, unit: "ms" },
  { name: "node -e 0", value: node, unit: "ms" },
]);
