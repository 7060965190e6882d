// Ties each report to its canonical agency (agencies) and records every printed name seen for one
// (agency_aliases), so 洪泽区人民政府 2023 and 淮安市洪泽区人民政府 2024 are one agency's two years.
import { NianbaoError } from "../../core/errors.ts";
import type { StoreDb } from "../open-store.ts";
import { statement } from "../statement-cache.ts";
import { type AgencyIdentity, agencyIdentity } from "./agency-name.ts";

/** The columns of agencies that a name's identity fills. */
function agencyRow(id: AgencyIdentity) {
  const r = id.region;
  const level = r?.level ?? null;
  return {
    agency_key: id.key,
    name: id.canonicalName,
    region_code: r?.code ?? null,
    region_level: level,
    province: r ? (r.province ?? r).name : null,
    city: level === "city" ? (r?.name ?? null) : (r?.city?.name ?? null),
    county: level === "county" ? (r?.name ?? null) : null,
    department_type: id.departmentType,
    department_label: id.departmentLabel,
  };
}

/** Identities already read: an import saves the same few names thousands of times. */
const identities = new Map<string, AgencyIdentity>();

function cachedIdentity(printed: string, provinceHint: string | null): AgencyIdentity {
  const cacheKey = `${provinceHint ?? ""}|${printed}`;
  let identity = identities.get(cacheKey);
  if (!identity) {
    if (identities.size >= 10_000) identities.clear();
    identity = agencyIdentity(printed, provinceHint);
    identities.set(cacheKey, identity);
  }
  return identity;
}

/** Whether two printed names are one agency (洪泽区人民政府 and 淮安市洪泽区人民政府), without storing either. */
export function sameAgency(a: string, b: string, provinceHint: string | null): boolean {
  return a === b || cachedIdentity(a, provinceHint).key === cachedIdentity(b, provinceHint).key;
}

/** The agency a printed name belongs to (created on first sight), with the name kept as its alias. */
export function agencyIdFor(db: StoreDb, printed: string, provinceHint: string | null): number {
  const identity = cachedIdentity(printed, provinceHint);
  let id = statement(db, "SELECT id FROM agencies WHERE agency_key = ?").pluck().get(identity.key) as
    | number
    | undefined;
  if (id === undefined) {
    const row = agencyRow(identity);
    id = Number(
      statement(
        db,
        `INSERT INTO agencies (agency_key, name, region_code, region_level, province, city, county, department_type, department_label)
         VALUES (@agency_key, @name, @region_code, @region_level, @province, @city, @county, @department_type, @department_label)`,
      ).run(row).lastInsertRowid,
    );
  }
  statement(db, "INSERT OR IGNORE INTO agency_aliases (name, agency_id) VALUES (?, ?)").run(printed, id);
  return id;
}

/** Points one report at the agency its printed name (and its site's province) resolve to. */
export function linkReportAgency(db: StoreDb, reportId: number): void {
  const row = statement(
    db,
    `SELECT r.agency, r.agency_id, s.province FROM reports r LEFT JOIN sites s ON s.slug = r.site_slug WHERE r.id = ?`,
  ).get(reportId) as { agency: string | null; agency_id: number | null; province: string | null } | undefined;
  if (!row) return;
  const id = row.agency ? agencyIdFor(db, row.agency, row.province) : null;
  if (id !== row.agency_id) statement(db, "UPDATE reports SET agency_id = ? WHERE id = ?").run(id, reportId);
}

/** Every report without its agency: what migration 3 runs over the reports of older files. */
export function linkAllReports(db: StoreDb): void {
  const ids = db
    .prepare("SELECT id FROM reports WHERE agency IS NOT NULL AND agency_id IS NULL")
    .pluck()
    .all();
  for (const id of ids as number[]) linkReportAgency(db, id);
}

export interface AgencyMatch {
  id: number;
  name: string;
  region_code: string | null;
  aliases: string[];
}

function matches(db: StoreDb, where: string, params: string[]): AgencyMatch[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.name, a.region_code,
              (SELECT json_group_array(name) FROM (SELECT name FROM agency_aliases WHERE agency_id = a.id ORDER BY name)) AS aliases
       FROM agencies a
       WHERE EXISTS (SELECT 1 FROM reports r WHERE r.agency_id = a.id AND r.superseded_by IS NULL) AND (${where})
       ORDER BY a.name, a.id`,
    )
    .all(...params) as (Omit<AgencyMatch, "aliases"> & { aliases: string })[];
  return rows.map((r) => ({ ...r, aliases: JSON.parse(r.aliases) as string[] }));
}

const BY_ALIAS = "a.id IN (SELECT agency_id FROM agency_aliases WHERE name";

/**
 * The agency a researcher means: its canonical name or any printed name, exactly; else the one
 * agency whose names hold the words. Several → an error listing them (canonical name, region, aliases).
 */
export function resolveAgency(db: StoreDb, query: string | number): AgencyMatch {
  if (typeof query === "number") {
    const byId = matches(db, "a.id = ?", [String(query)]);
    if (byId[0]) return byId[0];
    throw new NianbaoError(
      "input_missing",
      `no agency ${query}`,
      "agency ids are in the agency_id column of the views",
    );
  }
  const q = query.trim();
  let found = matches(db, `a.name = ? OR ${BY_ALIAS} = ?) OR a.agency_key = ?`, [
    q,
    q,
    agencyIdentity(q).key,
  ]);
  if (!found.length) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    found = matches(db, `a.name LIKE ? ESCAPE '\\' OR ${BY_ALIAS} LIKE ? ESCAPE '\\')`, [like, like]);
  }
  if (found.length === 1) return found[0] as AgencyMatch;
  if (!found.length) {
    throw new NianbaoError(
      "input_missing",
      `no reports for agency "${q}"`,
      "check the spelling (the name as printed, e.g. 天水市民政局, or part of it); `nianbao export csv` lists every agency",
    );
  }
  const listed = found
    .slice(0, 10)
    .map(
      (m) => `${m.name}${m.region_code ? ` [${m.region_code}]` : ""} (printed as ${m.aliases.join(", ")})`,
    );
  throw new NianbaoError(
    "bad_usage",
    `"${q}" matches ${found.length} agencies: ${listed.join("; ")}${found.length > 10 ? "; …" : ""}`,
    "give one of these names in full",
  );
}
