// Runs LibreOffice headless to convert one document (WPS, OFD, XLS, damaged DOC…) in a private temp
// dir with its own profile, killed with its whole process group when the time budget runs out. A
// conversion never reaches the network: the profile loads no linked content, and where the platform
// allows it soffice runs in a network namespace with loopback only.
import { spawn } from "node:child_process";
import { access, constants, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { AttachmentError, type AttachmentFormat } from "../extract/attachments/attachment-result.ts";

const CANDIDATES = [
  "/usr/bin/soffice",
  "/usr/local/bin/soffice",
  "/usr/lib/libreoffice/program/soffice",
  "/opt/libreoffice/program/soffice",
  "/Applications/LibreOffice.app/Contents/MacOS/soffice",
];

/** Path of the soffice binary, or null when LibreOffice is not installed. */
export async function findSoffice(): Promise<string | null> {
  for (const p of CANDIDATES) {
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {}
  }
  return null;
}

/**
 * The profile's settings: links in a document (images, OLE objects, sections) are never updated or
 * fetched, macros never run. A hostile document must not make the converter call out.
 */
const PROFILE_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
`;

const UNSHARE = ["/usr/bin/unshare", "/bin/unshare"];
let isolation: Promise<string[]> | null = null;

/**
 * The command prefix that gives soffice a network namespace of its own (loopback only, nothing
 * routed), or [] where user namespaces are not allowed: then the profile settings alone hold.
 */
export function networkIsolation(): Promise<string[]> {
  isolation ??= (async () => {
    for (const unshare of UNSHARE) {
      const works = await new Promise<boolean>((resolve) => {
        const child = spawn(unshare, ["--user", "--map-root-user", "--net", "true"], { stdio: "ignore" });
        child.on("error", () => resolve(false));
        child.on("close", (code) => resolve(code === 0));
      });
      if (works) return [unshare, "--user", "--map-root-user", "--net", "--"];
    }
    return [];
  })();
  return isolation;
}

/** Temp dirs are named nianbao-lo-<pid>-…: a dir whose process is gone was left by a kill -9. */
const TEMP_PREFIX = "nianbao-lo-";
let swept = false;

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes, once per process, the temp dirs of conversions whose process died mid-way. */
export async function sweepStaleTempDirs(): Promise<string[]> {
  if (swept) return [];
  swept = true;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(tmpdir());
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(name);
    if (!m || Number(m[1]) === process.pid || pidIsAlive(Number(m[1]))) continue;
    await rm(join(tmpdir(), name), { recursive: true, force: true }).catch(() => {});
    removed.push(name);
  }
  return removed;
}

/**
 * soffice runs in a process group of its own (so a timeout kills its helpers too), which also means
 * it would outlive us after a kill -9. A watcher in the group holds the read end of a pipe from this
 * process: when the pipe closes (we exit, however we exit) it kills the whole group.
 */
// (A background job's stdin is /dev/null unless redirected: the pipe is handed over as fd 3.)
const WATCHED =
  'trap "" HUP INT TERM; exec 3<&0; (cat <&3 >/dev/null; kill -KILL 0) 2>/dev/null & exec 3<&-; exec "$@"';

export interface SofficeRun {
  /** Input file path. */
  input: string;
  /** soffice's --convert-to argument, e.g. "html", "pdf:writer_pdf_Export", "docx:MS Word 2007 XML". */
  convertTo: string;
  outDir: string;
  timeoutMs: number;
  /** Optional --infilter (e.g. "HTML (StarWriter)" to open a page as a Writer document). */
  inFilter?: string;
  soffice?: string;
}

/** Runs one conversion; resolves with the output file path. Each run gets its own profile dir. */
export async function runSoffice(run: SofficeRun): Promise<string> {
  const soffice = run.soffice ?? (await findSoffice());
  if (!soffice) {
    throw new AttachmentError(
      "needs_libreoffice",
      "unknown",
      "LibreOffice (soffice) is not installed",
      "install libreoffice-core and libreoffice-writer",
    );
  }
  await sweepStaleTempDirs();
  const profile = await mkdtemp(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-profile-`));
  await mkdir(join(profile, "user"), { recursive: true });
  await writeFile(join(profile, "user", "registrymodifications.xcu"), PROFILE_SETTINGS);
  const args = [
    "-c",
    WATCHED,
    "nianbao-soffice",
    ...(await networkIsolation()),
    soffice,
    "--headless",
    "--norestore",
    "--nologo",
    "--nodefault",
    "--nolockcheck",
    `-env:UserInstallation=${pathToFileURL(profile).href}`,
    ...(run.inFilter ? [`--infilter=${run.inFilter}`] : []),
    "--convert-to",
    run.convertTo,
    "--outdir",
    run.outDir,
    run.input,
  ];
  try {
    const { code, stderr, timedOut } = await new Promise<{
      code: number | null;
      stderr: string;
      timedOut: boolean;
    }>((resolve, reject) => {
      const child = spawn("/bin/sh", args, {
        detached: true, // own process group: the timeout kills soffice.bin and its helpers too
        stdio: ["pipe", "ignore", "pipe"],
        env: {
          PATH: "/usr/bin:/bin:/usr/local/bin",
          HOME: profile,
          LANG: "C.UTF-8",
          SAL_USE_VCLPLUGIN: "svp",
        },
      });
      let stderr = "";
      let timedOut = false;
      child.stderr.on("data", (d: Buffer) => {
        if (stderr.length < 4000) stderr += d.toString("utf8");
      });
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, run.timeoutMs);
      child.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        child.stdin?.destroy(); // the watcher ends with the pipe, taking any stray helper with it
        resolve({ code, stderr, timedOut });
      });
      // The pipe's other end: nothing is written; it only has to close when this process ends.
      child.stdin?.on("error", () => {});
    });
    if (timedOut) {
      throw new AttachmentError(
        "time_budget_exceeded",
        "unknown",
        `LibreOffice did not finish within ${run.timeoutMs} ms`,
        "the file may be damaged or very large; try opening it in an office suite",
      );
    }
    const base = run.input.replace(/^.*\//, "").replace(/\.[^.]*$/, "");
    const ext = run.convertTo.split(":")[0]!;
    const out = join(run.outDir, `${base}.${ext}`);
    const listing = await readdir(run.outDir);
    if (code !== 0 || !listing.includes(`${base}.${ext}`)) {
      throw new AttachmentError(
        "corrupt",
        "unknown",
        `LibreOffice could not convert the file (exit ${code}): ${stderr.trim().slice(0, 300) || "no output written"}`,
        "the file may be damaged or in a format LibreOffice does not read",
      );
    }
    return out;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

const EXTENSION: Partial<Record<AttachmentFormat, string>> = {
  doc: "doc",
  docx: "docx",
  wps: "wps",
  xls: "xls",
  xlsx: "xlsx",
  et: "et",
  odt: "odt",
  ofd: "ofd",
  rtf: "rtf",
  ole: "doc",
};

const SPREADSHEETS: ReadonlySet<AttachmentFormat> = new Set(["xls", "xlsx", "et"]);

/** Converts document bytes to HTML through LibreOffice in a temp dir that is always removed. */
export async function convertWithLibreOffice(
  bytes: Uint8Array,
  format: AttachmentFormat,
  timeoutMs: number,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
  try {
    // LibreOffice picks its import filter partly by extension: name the file for what the bytes are.
    const input = join(dir, `attachment.${EXTENSION[format] ?? "bin"}`);
    await writeFile(input, bytes);
    const outDir = join(dir, "out");
    const out = await runSoffice({ input, convertTo: "html", outDir, timeoutMs });
    const html = await readFile(out);
    return new TextDecoder("utf-8").decode(html);
  } catch (err) {
    if (err instanceof AttachmentError && err.format === "unknown") {
      // LibreOffice opens spreadsheets only with Calc installed; without it an XLS "cannot be converted".
      const hint =
        err.reason === "corrupt" && SPREADSHEETS.has(format)
          ? `${err.hint}; spreadsheets need LibreOffice Calc (apt-get install libreoffice-calc)`
          : err.hint;
      throw new AttachmentError(err.reason, format, err.message, hint);
    }
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
