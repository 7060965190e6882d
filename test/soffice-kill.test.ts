// kill -9 during a LibreOffice conversion: soffice (in its own process group) ends with its parent,
// and the temp dirs the dead conversion left are swept by the next one.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findSoffice, sweepStaleTempDirs } from "../pipeline/convert-libreoffice.ts";
import { PROJECT_ROOT } from "./support/cli-child.ts";

const soffice = await findSoffice();
const dir = mkdtempSync(join(tmpdir(), "nianbao-lokill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Processes whose command line names this test's temp dir (soffice's profile lives there). */
function ours(): string[] {
  const ps = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return ps
    .split("\n")
    .filter((l) => l.includes(dir) && !l.includes("ps -eo"))
    .map((l) => l.trim());
}

async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (ok()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return ok();
}

describe.skipIf(!soffice)("soffice and kill -9", () => {
  it("ends with its parent, and the next conversion sweeps the dead one's temp dirs", async () => {
    const script = join(dir, "convert.mts");
    // A page big enough that converting it takes soffice far longer than the test waits.
    const page = join(dir, "big.html");
    const row = "<tr><td>行政许可</td><td>12</td><td>34</td><td>56</td><td>78</td><td>90</td></tr>";
    writeFileSync(page, `<html><body><table>${row.repeat(60_000)}</table></body></html>`);
    writeFileSync(
      script,
      `import { runSoffice } from ${JSON.stringify(resolve(PROJECT_ROOT, "pipeline/convert-libreoffice.ts"))};
await runSoffice({ input: ${JSON.stringify(page)}, convertTo: "odt", outDir: ${JSON.stringify(join(dir, "out"))}, timeoutMs: 120000, inFilter: "HTML (StarWriter)" });`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TMPDIR: dir },
      stdio: "ignore",
    });
    const exited = new Promise((ok) => child.on("exit", ok));
    expect(
      await until(() => ours().some((l) => /soffice|oosplash/.test(l) && !l.includes("convert.mts")), 30_000),
      "soffice never started",
    ).toBe(true);
    child.kill("SIGKILL");
    await exited;
    // The watcher in soffice's group sees the pipe close and ends the group.
    expect(await until(() => ours().length === 0, 10_000), ours().join("\n")).toBe(true);
    const left = readdirSync(dir).filter((n) => n.startsWith("nianbao-lo-"));
    expect(left.length).toBeGreaterThan(0);

    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      expect((await sweepStaleTempDirs()).sort()).toEqual(left.sort());
    } finally {
      process.env.TMPDIR = saved;
    }
    for (const n of left) expect(existsSync(join(dir, n))).toBe(false);
  }, 90_000);
});
