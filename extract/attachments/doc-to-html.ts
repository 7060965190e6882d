// Legacy Word (.doc, and WPS files saved in the Word format) → report HTML with word-extractor.
// Its text ends every table cell with a tab and rows with a tab or a newline; rows are rebuilt here.
import WordExtractor from "word-extractor";
import { AttachmentError, type AttachmentResult } from "./attachment-result.ts";
import { escapeHtml, pageHtml, paragraphHtml } from "./html-markup.ts";

const VALUE =
  /^[+\-−]?\s*(\d[\d,，]*(\.\d+)?\s*(万元|元|件|条|个|项|%)?|减少\s*\d+|增加\s*\d+|[—–\-/／无]+)$/;
const TOP_ORDINAL = /^[一二三四五六七八九十]+、/;
/** A line that is prose (a heading like 五、… or a sentence), not a cell label broken over lines. */
const PROSE_LINE = /^[一二三四五六七八九十]+、|。$|^.{25,}$/;

interface Token {
  text: string;
  /** A row ends before this token (Word wrote the row mark as a newline). */
  breakBefore: boolean;
}

type Part = { kind: "prose"; text: string } | { kind: "table"; cells: Token[] };

/** Splits word-extractor text into prose paragraphs and table cell streams. */
function splitParts(body: string): Part[] {
  const parts: Part[] = [];
  const raw = body.replace(/\r\n?/g, "\n").split("\t");
  let cells: Token[] | null = null;
  const closeTable = () => {
    if (cells?.length) parts.push({ kind: "table", cells });
    cells = null;
  };
  raw.forEach((piece, i) => {
    const last = i === raw.length - 1;
    const first = i === 0;
    const breakBefore = piece.startsWith("\n");
    const lines = piece.split("\n");
    if (first || last) {
      // Before the first tab: prose, then the first cell; after the last tab: the rest is prose.
      const prose = last ? lines : lines.slice(0, -1);
      if (last) closeTable();
      for (const l of prose) if (l.trim()) parts.push({ kind: "prose", text: l.trim() });
      if (!last) cells = [{ text: lines[lines.length - 1]!.trim(), breakBefore: false }];
      return;
    }
    const body = breakBefore ? lines.slice(1) : lines;
    const proseIdx = body.slice(0, -1).findIndex((l) => PROSE_LINE.test(l.trim()));
    if (proseIdx >= 0) {
      // A paragraph between two tables (the first table's last cell mark, then text, then a cell).
      closeTable();
      for (const l of body.slice(0, -1)) if (l.trim()) parts.push({ kind: "prose", text: l.trim() });
      cells = [{ text: body[body.length - 1]!.trim(), breakBefore: false }];
      return;
    }
    cells ??= [];
    cells.push({ text: body.join("").trim(), breakBefore });
  });
  closeTable();
  return parts;
}

/** Rebuilds rows: a newline ends a row; after a row's numbers, the first empty cell is the row mark. */
function rowsOf(tokens: Token[]): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  const end = () => {
    if (row.some((c) => c !== "")) rows.push(row);
    row = [];
  };
  const hasValue = () => row.some((c) => c !== "" && VALUE.test(c));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.breakBefore) end();
    if (t.text !== "") {
      if (row.length && hasValue() && !VALUE.test(t.text) && row[row.length - 1] !== "") end();
      row.push(t.text);
      continue;
    }
    // A run of empty cells: what follows decides whether a row ends here.
    let j = i + 1;
    while (j < tokens.length && tokens[j]!.text === "" && !tokens[j]!.breakBefore) j++;
    const run = j - i;
    const next = tokens[j];
    const nextIsValue = !!next && !next.breakBefore && VALUE.test(next.text);
    if (hasValue() && !nextIsValue) {
      end(); // the row mark, then placeholders of the next row's merged label cells
      for (let k = 1; k < run; k++) row.push("");
    } else if (!hasValue() && row.length && (nextIsValue || (next && TOP_ORDINAL.test(next.text)))) {
      end(); // a header row ends; the data row starts with its numbers or a 一、 label
    } else {
      for (let k = 0; k < run; k++) row.push("");
    }
    i = j - 1;
  }
  end();
  return rows;
}

/** Labels left, numbers from a common column on; empty label slots take the label above (a rowspan). */
function tableHtmlFromRows(rows: string[][]): string {
  const split = rows.map((r) => {
    let k = r.length;
    while (k > 0 && (VALUE.test(r[k - 1]!) || r[k - 1] === "")) k--;
    return { labels: r.slice(0, k), values: r.slice(k), data: r.slice(k).some((v) => v !== "") };
  });
  const labelCols = Math.max(0, ...split.filter((s) => s.data).map((s) => s.labels.length));
  // Header rows whose cells were merged in Word (社会/公益/组织 under 法人或其他组织) lose their
  // column positions in the text; a misplaced header would misname columns, so those rows leave the
  // table and the reader falls back to the template's column order. A table with no row labels
  // (复议/诉讼) keeps its header: the reader needs it to know the table, and places numbers by order.
  let before = "";
  let html = '<table border="1">\n';
  let prev: string[] = [];
  for (const [i, s] of split.entries()) {
    if (s.data) {
      const labels = s.labels.length || !labelCols ? [...s.labels] : [""];
      const firstText = labels.findIndex((l) => l !== "");
      for (let c = 0; c < firstText; c++) labels[c] = prev[c] ?? "";
      // Fewer labels than label columns: Word merged the last label across them (一、… spans all).
      const span = labelCols - labels.length + 1;
      const padded = [...labels];
      while (padded.length < labelCols) padded.push(padded[padded.length - 1] ?? "");
      prev = padded;
      const labelHtml = labels.map(
        (c, k) =>
          `<td${k === labels.length - 1 && span > 1 ? ` colspan="${span}"` : ""}>${escapeHtml(c)}</td>`,
      );
      html +=
        "<tr>" + labelHtml.join("") + s.values.map((c) => `<td>${escapeHtml(c)}</td>`).join("") + "</tr>\n";
      continue;
    }
    {
      const cells = [...s.labels, ...s.values];
      while (cells.length > 1 && cells[cells.length - 1] === "") cells.pop();
      const next = split.slice(i + 1).find((x) => x.data);
      const width = next ? labelCols + next.values.length : 0;
      if (labelCols > 0 && width && cells.length !== width && cells.length > 1) {
        before += paragraphHtml(cells.filter((c) => c).join(" "));
        continue;
      }
      html += "<tr>" + cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("") + "</tr>\n";
    }
  }
  return before + html + "</table>\n";
}

/** word-extractor text → HTML body: prose paragraphs and rebuilt tables. */
export function wordTextToHtml(text: string): string {
  let body = "";
  for (const part of splitParts(text)) {
    if (part.kind === "prose") body += paragraphHtml(part.text);
    else {
      const rows = rowsOf(part.cells);
      if (rows.length > 1 || (rows[0]?.length ?? 0) > 1) body += tableHtmlFromRows(rows);
      else if (rows[0]) body += paragraphHtml(rows[0].join(""));
    }
  }
  return body;
}

export async function docToHtml(bytes: Uint8Array): Promise<AttachmentResult> {
  let text: string;
  try {
    const doc = await new WordExtractor().extract(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    );
    text = doc.getBody();
  } catch (err) {
    throw new AttachmentError(
      "corrupt",
      "doc",
      `the DOC file cannot be read: ${(err as Error).message}`,
      "open it in Word or WPS to check it; LibreOffice may still convert it",
    );
  }
  if (!text.trim())
    throw new AttachmentError(
      "empty",
      "doc",
      "the DOC file holds no text",
      "check that the attachment is the report",
    );
  return { format: "doc", html: pageHtml(null, "doc", wordTextToHtml(text)), text, pages: null, flags: [] };
}
