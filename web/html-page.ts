// The workbench's page frame and escaping: one inline stylesheet, no scripts or fonts from anywhere,
// so every page works offline and nothing a report prints can run as markup.

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text for HTML content or a quoted attribute. */
export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** A query string from the non-empty entries. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

const STYLE = `
body{font:14px/1.5 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#1d232a;background:#fafbfc}
header{background:#1f4e79;color:#fff;padding:.6em 1.2em;display:flex;gap:1.4em;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header strong{font-size:1.1em}
header form{margin-left:auto}main{padding:1em 1.4em;max-width:1200px}
table{border-collapse:collapse;margin:.6em 0 1.2em;background:#fff}
th,td{border:1px solid #c9d1d9;padding:.25em .5em;vertical-align:top}th{background:#eef2f6;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}a{color:#0b5cad}
.fail{color:#b42318;font-weight:600}.ok{color:#2f7d32}.muted{color:#667}
.flagged{background:#fff4d6}.bad{background:#fde2e1}mark{background:#ffe27a}
.note{font-size:.85em;color:#556}.bar{fill:#1f4e79}.bar2{fill:#8fb3d9}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{color:#556}
:target{outline:3px solid #f5a623}
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · nianbao</title><style>${STYLE}</style></head>
<body><header><strong><a href="/">nianbao 年报</a></strong>
<a href="/">Overview</a><a href="/agencies">Agencies</a>
<form action="/search" method="get"><input name="q" placeholder="全文搜索 full-text search" aria-label="search"> <button>Search</button></form>
</header><main>
<h1>${esc(title)}</h1>
${body}
</main></body></html>`;
}

/** A small bar chart (inline SVG) of one measure across years; empty years draw no bar. */
export function barChart(label: string, points: { x: string; y: number | null }[]): string {
  const max = Math.max(1, ...points.map((p) => p.y ?? 0));
  const w = 48;
  const h = 90;
  const bars = points
    .map((p, i) => {
      const bh = p.y === null ? 0 : Math.max(1, Math.round((p.y / max) * h));
      return `<g><rect class="bar" x="${i * w + 8}" y="${h - bh + 14}" width="${w - 16}" height="${bh}"><title>${esc(p.x)}: ${esc(p.y ?? "—")}</title></rect>
<text x="${i * w + w / 2}" y="${h + 28}" text-anchor="middle" font-size="11">${esc(p.x)}</text>
<text x="${i * w + w / 2}" y="${h - bh + 10}" text-anchor="middle" font-size="11">${esc(p.y ?? "—")}</text></g>`;
    })
    .join("");
  return `<figure style="display:inline-block;margin:0 1.2em 1em 0"><svg role="img" aria-label="${esc(label)}" width="${points.length * w + 16}" height="${h + 34}">${bars}</svg><figcaption class="note">${esc(label)}</figcaption></figure>`;
}
