// Builds the HTML handed to the extractor: escaped text, <p> paragraphs and <table> markup with
// rowspan/colspan, wrapped in a minimal page that names its source format.

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;",
  );
}

export interface TableCellModel {
  row: number;
  col: number;
  rowspan: number;
  colspan: number;
  text: string;
}

export interface TableModel {
  rows: number;
  cols: number;
  cells: TableCellModel[];
  /** Leave a row's trailing empty slots out (rows as printed, not padded to the table's width). */
  ragged?: boolean;
}

export function tableHtml(t: TableModel): string {
  const owner: (TableCellModel | null)[][] = Array.from({ length: t.rows }, () =>
    new Array(t.cols).fill(null),
  );
  for (const c of t.cells) {
    for (let r = c.row; r < Math.min(t.rows, c.row + c.rowspan); r++) {
      for (let k = c.col; k < Math.min(t.cols, c.col + c.colspan); k++) owner[r]![k] ??= c;
    }
  }
  let html = '<table border="1">\n';
  for (let r = 0; r < t.rows; r++) {
    html += "<tr>";
    let width = t.cols;
    if (t.ragged) while (width > 1 && !owner[r]![width - 1]) width--;
    for (let k = 0; k < width; k++) {
      const c = owner[r]![k];
      if (!c) {
        html += "<td></td>";
        continue;
      }
      if (c.row !== r || c.col !== k) continue;
      const rs = Math.min(c.rowspan, t.rows - r);
      const cs = Math.min(c.colspan, t.cols - k);
      html += `<td${rs > 1 ? ` rowspan="${rs}"` : ""}${cs > 1 ? ` colspan="${cs}"` : ""}>${escapeHtml(c.text)}</td>`;
    }
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

export function paragraphHtml(text: string): string {
  return `<p>${escapeHtml(text)}</p>\n`;
}

export function pageHtml(title: string | null, format: string, body: string): string {
  return (
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8">' +
    (title ? `<title>${escapeHtml(title)}</title>` : "") +
    `<meta name="nianbao-source-format" content="${escapeHtml(format)}">` +
    `</head>\n<body>\n<div class="article_content">\n${body}</div>\n</body></html>\n`
  );
}
