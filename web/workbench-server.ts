// `nianbao serve`: a local web workbench over one database — overview, agencies, one agency across
// years, one report with provenance, full-text search. Read-only connection, bound to 127.0.0.1 by
// default, server-rendered pages with nothing fetched from elsewhere (works offline).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { NianbaoError } from "../core/errors.ts";
import {
  agencyFacets,
  compareAgency,
  getBody,
  listAgencies,
  openStore,
  reportDetail,
  type Store,
  siteHealth,
  storedSiteEntries,
  storeStats,
  valuesWithPrefix,
  versionBody,
  versionCells,
} from "../store/index.ts";
import { esc, page } from "./html-page.ts";
import { agenciesPage, agencyPage } from "./render-agencies.ts";
import { overviewPage } from "./render-overview.ts";
import { reportPage } from "./render-report.ts";
import { searchPage } from "./render-search.ts";

export interface WorkbenchOptions {
  dbPath: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
}

export interface Workbench {
  url: string;
  close(): Promise<void>;
}

const FORMAT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  doc: "application/msword",
};

/** Health of the sites the database was last crawled with (a database of imports has none). */
function health(store: Store) {
  const sites = storedSiteEntries(store.db) as {
    slug: string;
    name: string;
    expect?: { min_reports: number };
  }[];
  return siteHealth(
    store.db,
    sites.map((s) => ({ slug: s.slug, name: s.name, expect: s.expect ?? { min_reports: 1 } })),
  );
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  type = "text/html; charset=utf-8",
) {
  res.writeHead(status, {
    "content-type": type,
    "content-security-policy":
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'",
    "x-content-type-options": "nosniff",
  });
  res.end(body);
}

function intParam(value: string | null): number | undefined {
  return value && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

interface Reply {
  status: number;
  body: string | Uint8Array;
  type?: string;
}

const html = (body: string, status = 200): Reply => ({ status, body });

function agenciesReply(store: Store, p: URLSearchParams): Reply {
  const f = {
    q: p.get("q")?.trim() || undefined,
    province: p.get("province") || undefined,
    level: p.get("level") || undefined,
    department: p.get("department") || undefined,
    year: intParam(p.get("year")),
  };
  return html(agenciesPage(listAgencies(store.db, f), f, agencyFacets(store.db)));
}

function originalReply(store: Store, versionId: number): Reply {
  const b = versionBody(store.db, versionId);
  const bytes = b ? getBody(store.db, b.sha256) : null;
  if (!b || !bytes) return html(page("Not archived", "<p>No archived body for this version.</p>"), 404);
  // An archived page is shown as text: its own scripts and links never run inside the workbench.
  const type =
    b.source_format === "html"
      ? "text/plain; charset=utf-8"
      : (FORMAT_TYPES[b.source_format] ?? "application/octet-stream");
  return { status: 200, body: bytes, type };
}

/** The page for a path: overview, agencies, agency/N, report/N, original/N, search. */
function render(store: Store, url: URL): Reply {
  const path = url.pathname;
  const id = (prefix: string) => {
    const m = path.match(new RegExp(`^/${prefix}/(\\d{1,9})$`));
    return m ? Number(m[1]) : undefined;
  };
  if (path === "/") return html(overviewPage(store.db, storeStats(store.db), health(store)));
  if (path === "/agencies") return agenciesReply(store, url.searchParams);
  if (path === "/search") return html(searchPage(store.db, (url.searchParams.get("q") ?? "").trim()));
  const agency = id("agency");
  if (agency !== undefined) {
    const c = compareAgency(store.db, agency);
    const denied = valuesWithPrefix(store.db, Object.values(c.report_ids), "applications.results.denied.");
    return html(agencyPage(c, denied));
  }
  const report = id("report");
  if (report !== undefined) {
    const d = reportDetail(store.db, report);
    return html(reportPage(d, versionCells(store.db, d.version_id)));
  }
  const original = id("original");
  if (original !== undefined) return originalReply(store, original);
  return html(page("Not found", `<p>No page at ${esc(path)}. <a href="/">Overview</a></p>`), 404);
}

function handle(store: Store, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(res, 405, "GET only", "text/plain");
    return;
  }
  try {
    const reply = render(store, new URL(req.url ?? "/", "http://workbench.invalid"));
    send(res, reply.status, reply.body, reply.type);
  } catch (err) {
    // A user error (unknown report, ambiguous name) is a page saying so; nothing shows a stack trace.
    const known = err instanceof NianbaoError;
    const status = known ? (err.code === "input_missing" ? 404 : 400) : 500;
    const message = known ? `${err.message} — ${err.hint}` : "the page could not be built";
    send(res, status, page("Not available", `<p>${esc(message)}</p><p><a href="/">Overview</a></p>`));
  }
}

export async function startWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const store = openStore(opts.dbPath, { readonly: true, mustExist: true });
  const server: Server = createServer((req, res) => handle(store, req, res));
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  try {
    await new Promise<void>((ok, fail) => {
      server.once("error", fail);
      server.listen(opts.port, opts.host ?? "127.0.0.1", () => ok());
    });
  } catch (err) {
    store.close();
    const code = (err as { code?: string }).code;
    throw new NianbaoError(
      "bad_usage",
      `cannot listen on ${opts.host ?? "127.0.0.1"}:${opts.port} (${code ?? (err as Error).message})`,
      code === "EADDRINUSE"
        ? "pick another --port, or stop what uses this one"
        : "pick another --port or --host",
    );
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => {
          store.close();
          ok();
        });
      }),
  };
}
