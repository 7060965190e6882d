// Turns flattened text (a page saved as text, a seed) into a Document: prose lines in order and the
// statistics tables cut out as cell rows, whatever the layout (pipe rows, cell per line, no pipes).
import type { Document, GridCell, RawTable } from "../document.ts";
import { readCell } from "../tables/cell-value.ts";
import { matchForm, toHalfWidth } from "./normalize.ts";

/** Words that open a statistics table in every template. */
const TABLE_START =
  /信息内容|第二十条第|申请人情况|本列数据的勾稽关系|结果维持|本年新收政府信息公开申请|规章|行政规范性文件|复议后起诉|未经复议直接起诉/;
/** Table-2 row labels look like section headings (一、本年新收…): they belong to the table. */
const TABLE_ROW_HEADING =
  /本年(?:[(（]\d{4}[)）])?新收|上年(?:[(（]\d{4}[)）])?结转|本年度办理结果|结转下年度/;
const SECTION_HEADING = /^[一二三四五六七八九十]+[、.．]/;

/** A number token of a space-separated row: 0, 12, +2, -3, 5.02. */
const NUM_TOKEN = /^[+-]?\d+(?:\.\d+)?$/;
/** Table 1 row labels that print a single number (行政许可 0). */
const ONE_NUMBER_ROW =
  /^(?:规章|行政规范性文件|规范性文件|行政许可|行政处罚|行政强制|行政事业性收费|其他对外管理服务事项|政府集中采购)$/;

/**
 * PDF text and some exports print a table row as its label then numbers separated by spaces
 * ("四、结转下年度继续办理 0 0 0 0 0 0 0", fifteen numbers under the review header). Such a line
 * becomes a pipe row: the label, then one cell per number. A label that runs a group into its item
 * ("（三）不予公开 1．属于国家秘密") is kept as two label cells, so the item names the row.
 */
function spacedRow(line: string): string | null {
  const tokens = line.trim().split(/\s+/);
  let k = tokens.length;
  while (k > 0 && NUM_TOKEN.test(toHalfWidth(tokens[k - 1]!))) k--;
  const numbers = tokens.length - k;
  const label = tokens.slice(0, k).join("");
  if (
    numbers === 0 ||
    (numbers === 1 && !ONE_NUMBER_ROW.test(label.replace(/^[一二三四五六七八九十（）()、.．\d]+/, "")))
  )
    return null;
  // Sentence punctuation outside brackets marks prose; （区分处理的，只计这一情形） is part of a label.
  const bare = label.replace(/[（(][^）)]*[）)]/g, "");
  if (label.length > 60 || /[。；;，,:：]/.test(bare) || /(年|月|日|第|共|约|为)$/.test(label)) return null;
  const labels = label
    ? label.split(/(?<=[\u4e00-\u9fa5）)])(?=\d{1,2}[.．、]|[（(][一二三四五六七八九十][）)])/)
    : [];
  return [...labels, ...tokens.slice(k)].join(" | ");
}

/**
 * Print furniture a browser or PDF puts at a page break, inside a table as anywhere: the page's
 * address with its page count (https://…/content_4417.html　2/3), or the print stamp (2024/3/5 15:12 …).
 * Skipped inside a table region: it is neither a cell nor the table's end.
 */
const PAGE_FURNITURE =
  /^(?:https?:\/\/\S+(?:\s+\d{1,3}\s*\/\s*\d{1,3})?|\d{4}\/\d{1,2}\/\d{1,2}\s+\d{1,2}:\d{2}(?:\s.*)?)$/;

function isPipeLine(line: string): boolean {
  return line.includes("|");
}

/** A line that can be one table cell: short, no sentence punctuation. */
function isCellish(line: string): boolean {
  const t = line.trim();
  if (t === "") return false;
  if (readCell(t).kind !== "label") return true;
  if (t.length > 60) return false;
  if (/[。；;]/.test(t)) return false;
  if (SECTION_HEADING.test(t) && !TABLE_ROW_HEADING.test(t)) return false;
  return true;
}

function cell(text: string, row: number, col: number): GridCell {
  return { text: text.trim(), row, col, spannedFrom: null };
}

/** Pipe rows: one row per line, cells between pipes; trailing empties are layout, not data. */
function pipeRows(lines: string[]): GridCell[][] {
  return lines.map((line, r) => {
    let parts = line.split("|").map((p) => p.trim());
    // A bordered row (| 规章 | 0 | 0 | |) opens and closes with a pipe: each cell sits between two,
    // so a blank between them is a printed blank cell, not padding. (An open row's trailing pipes,
    // 0 | ||||, are padding: they may stand for one cell merged across the columns.)
    const bordered = line.trimStart().startsWith("|") && line.trimEnd().endsWith("|");
    if (parts[0] === "" && line.trimStart().startsWith("|")) parts = parts.slice(1);
    if (bordered && parts[parts.length - 1] === "") parts.pop();
    let blanks = 0;
    while (parts.length && parts[parts.length - 1] === "") {
      parts.pop();
      blanks++;
    }
    const cells = parts.map((p, c) => cell(p, r, c));
    if (bordered && blanks > 0 && blanks <= 2)
      for (let b = 0; b < blanks; b++) cells.push({ ...cell("", r, cells.length), printedBlank: true });
    return cells;
  });
}

/**
 * Cell per line ending in " |", each row opened by a lone "|" line. An empty cell prints as " |" too,
 * so of two lone "|" lines in a row the first is the row's empty last cell and the second opens the
 * next row: that blank is kept (it is a printed cell, not padding).
 */
function cellPerLineRows(lines: string[]): GridCell[][] {
  const rows: GridCell[][] = [];
  let current: { text: string; explicit: boolean }[] | null = null;
  const close = () => {
    if (!current) return;
    while (
      current.length &&
      current[current.length - 1]!.text === "" &&
      !current[current.length - 1]!.explicit
    )
      current.pop();
    rows.push(
      current.map((c, i) =>
        c.explicit ? { ...cell("", rows.length, i), printedBlank: true } : cell(c.text, rows.length, i),
      ),
    );
  };
  const trimmed = lines.map((l) => l.trim());
  trimmed.forEach((t, i) => {
    if (t === "|") {
      if (current && current.length > 1 && trimmed[i + 1] === "|") {
        current.push({ text: "", explicit: true });
        return;
      }
      close();
      current = [];
      return;
    }
    current ??= [];
    current.push({ text: t.replace(/\s*\|[\s|]*$/, ""), explicit: false });
  });
  close();
  return rows;
}

/** No usable row breaks: one stream of cells; rows are found later from label/value runs. */
function streamRows(lines: string[]): GridCell[][] {
  const cells = lines
    .map((l) => l.trim())
    // Stray "|||" lines are separators left by the flattening, never cells.
    .filter((l) => l !== "" && !/^[|\s]+$/.test(l))
    // "0 | |" closes a row with padding pipes: the cell is "0".
    .map((l) => l.replace(/^[|\s]+|[\s|]+$/g, "").trim());
  return [cells.map((c, i) => cell(c, 0, i))];
}

function tableFromLines(lines: string[], lineIndex: number, spacedLines = 0): RawTable {
  // A space-separated table: its number rows were made pipe rows, its header lines are single cells.
  if (spacedLines > 0 && spacedLines === lines.filter(isPipeLine).length) {
    return { source: "text", rows: pipeRows(lines), positional: true, lineIndex };
  }
  const pipeLines = lines.filter(isPipeLine);
  const lone = lines.filter((l) => l.trim() === "|").length;
  // A pipe row has cells between pipes: two filled, or a label followed by blank cells ("行政许可 | ||||").
  const multiCell = pipeLines.filter((l) => {
    const parts = l.split("|");
    const filled = parts.filter((p) => p.trim() !== "").length;
    return filled >= 2 || (filled === 1 && parts.length >= 4 && parts[0]!.trim() !== "");
  }).length;
  const trailing = lines.filter(
    (l) => /\S\s*\|\s*$/.test(l) && l.split("|").filter((p) => p.trim()).length === 1,
  ).length;
  if (multiCell >= Math.max(2, pipeLines.length / 2)) {
    return { source: "text", rows: pipeRows(lines), positional: true, lineIndex };
  }
  // A lone "|" opens a row only when a label cell follows it; where none does, the lone lines are
  // blank cells of a plain cell-per-line stream (规章 | 0 | 0 | … with "|" for an empty header cell).
  const openers = lines.filter((l, i) => {
    const next = lines[i + 1]?.trim() ?? "";
    return (
      l.trim() === "|" &&
      /\S\s*\|\s*$/.test(next) &&
      readCell(next.replace(/\s*\|[\s|]*$/, "")).kind === "label"
    );
  }).length;
  const cellOf = (l: string) => l.trim().replace(/\s*\|[\s|]*$/, "");
  const rowLabels = lines.filter(
    (l, i) =>
      readCell(cellOf(l)).kind === "label" &&
      lines[i + 1] !== undefined &&
      readCell(cellOf(lines[i + 1]!)).kind === "number",
  ).length;
  if (lone > 0 && trailing >= lone && openers >= 2 && openers * 2 >= rowLabels) {
    return { source: "text", rows: cellPerLineRows(lines), positional: true, lineIndex };
  }
  return { source: "text", rows: streamRows(lines), positional: false, lineIndex };
}

/** True when the region really holds a statistics table: a template label and some numbers. */
function holdsTable(lines: string[]): boolean {
  const joined = matchForm(lines.join("|"));
  if (!TABLE_START.test(joined) && !/予以公开|行政复议|行政许可|行政处罚/.test(joined)) return false;
  let numbers = 0;
  for (const l of lines) {
    for (const part of l.split("|")) if (readCell(part).kind === "number") numbers++;
  }
  return numbers >= 1;
}

/**
 * A page of a paged export (a flipbook page, a PDF page) may begin with the last row of a table whose
 * other rows are on the page before: one line, a Table 2 row label and its seven numbers. The form
 * fixes seven cells for every Table 2 row, so such a line is a table of its own only when it prints
 * exactly seven numbers.
 */
function isWholeTable2Row(line: string): boolean {
  const cells = line.split("|").map((c) => c.trim());
  const label = matchForm(cells[0] ?? "");
  if (!TABLE_ROW_HEADING.test(label) || !SECTION_HEADING.test(label)) return false;
  const rest = cells.slice(1).filter((c) => c !== "");
  return rest.length === 7 && rest.every((c) => readCell(c).kind === "number");
}

export function textToDocument(text: string): Document {
  const raw = text.replace(/\r\n?/g, "\n").split("\n");
  const spaced = new Set<number>();
  raw.forEach((line, n) => {
    if (line.includes("|") || !/\d/.test(line) || !/\S\s+\S/.test(line)) return;
    const row = spacedRow(line.replace(/[\u00a0\u3000]/g, " "));
    if (row) {
      raw[n] = row;
      spaced.add(n);
    }
  });
  const lines: Document["lines"] = [];
  const tables: RawTable[] = [];
  let i = 0;
  while (i < raw.length) {
    const line = raw[i]!.replace(/[\u00a0\u3000\u200b]/g, " ").trimEnd();
    const t = line.trim();
    // A table region starts at a pipe line or at a table-opening label, and runs while lines stay cell-like.
    const startsRegion =
      t !== "" &&
      (isPipeLine(t) ||
        (TABLE_START.test(matchForm(t)) &&
          isCellish(t) &&
          (t.length <= 30 || /结果维持|复议后起诉/.test(t))));
    if (startsRegion) {
      let j = i;
      const region: string[] = [];
      let blankRun = 0;
      while (j < raw.length) {
        const l = raw[j]!.replace(/[\u00a0\u3000\u200b]/g, " ").trimEnd();
        const lt = l.trim();
        if (lt === "") {
          blankRun++;
          if (blankRun > 1) break;
          j++;
          continue;
        }
        blankRun = 0;
        if (PAGE_FURNITURE.test(lt)) {
          j++;
          continue;
        }
        if (!isPipeLine(lt) && !isCellish(lt)) break;
        region.push(l);
        j++;
      }
      if (
        (region.length >= 2 && holdsTable(region)) ||
        (region.length === 1 && isWholeTable2Row(region[0]!))
      ) {
        let spacedLines = 0;
        for (let n = i; n < j; n++) if (spaced.has(n)) spacedLines++;
        const table = tableFromLines(region, lines.length, spacedLines);
        if (raw.slice(j).every((l) => l.trim() === "")) table.endsText = true;
        tables.push(table);
        lines.push({ table: tables.length - 1 });
        i = j;
        continue;
      }
    }
    if (t !== "") lines.push(t.replace(/\s+/g, " "));
    i++;
  }
  return { lines, tables, outerLines: [], meta: {} };
}
