// Property tests of the table reader on random soup built from real label vocabulary: it never
// throws, every keyed value has a cell behind it, and a flagged row never yields a keyed value.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractReport } from "../../extract/extract-report.ts";
import {
  TABLE1_ROWS,
  TABLE2_COLUMNS,
  TABLE2_GROUPS,
  TABLE2_ROWS,
} from "../../extract/templates/report-templates.ts";

const RUNS = Number(process.env.NIANBAO_FUZZ_RUNS ?? 300);

const labels = [
  ...TABLE1_ROWS.flatMap((r) => r.labels),
  ...TABLE2_ROWS.flatMap((r) => r.labels),
  ...TABLE2_GROUPS.flatMap((g) => [
    `（${"一二三四五六"[g.ordinal - 1]}）${g.labels[0]}`,
    ...g.items.map((i) => `${i.ordinal}.${i.labels[0]}`),
  ]),
  ...TABLE2_COLUMNS.flatMap((c) => c.labels),
  "信息内容",
  "本年新",
  "本年新制作数量",
  "上一年项目数量",
  "本年增/减",
  "处理决定数量",
  "本年制发件数",
  "现行有效件数",
  "申请人情况",
  "法人或其他组织",
  "三、本年度办理结果",
  "行政复议",
  "行政诉讼",
  "结果维持",
  "结果纠正",
  "其他结果",
  "尚未审结",
  "未经复议直接起诉",
  "复议后起诉",
  "第二十条第（一）项",
  "二、主动公开政府信息情况",
  "一、总体情况",
];
const numbers = [
  "0",
  "1",
  "17",
  "+2",
  "-3",
  "减少1",
  "5.02万元",
  "１２",
  "—",
  "无",
  "-",
  "/",
  "",
  " ",
  "3.5",
  "12000元",
];

const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...labels) },
  { weight: 5, arbitrary: fc.constantFrom(...numbers) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const sep = fc.constantFrom(" | ", "|", "\n", " |\n", "\n|\n", "\n\n", "  ", "||", "\t");
const noise = fc
  .array(fc.tuple(token, sep), { maxLength: 40 })
  .map((parts) => parts.map(([t, s]) => t + s).join(""));
/** Row-shaped soup: label cells then a number of values that is sometimes right, often not. */
const row = fc.tuple(
  fc.array(fc.constantFrom(...labels), { minLength: 1, maxLength: 3 }),
  fc
    .array(fc.constantFrom(...numbers), { minLength: 1, maxLength: 16 })
    .chain((v) =>
      fc.oneof(
        fc.constant(v),
        fc.constant(v.slice(0, 7)),
        fc.constant(v.slice(0, 3)),
        fc.constant(v.slice(0, 1)),
      ),
    ),
);
/** A row the 2019 header can place: a Table 1 label and exactly its columns' count of plain numbers. */
const placeable = fc.constantFrom(...TABLE1_ROWS.filter((r) => r.columns["2019"])).chain((r) =>
  fc.tuple(
    fc.constantFrom(...r.labels).map((l) => [l]),
    fc.array(fc.constantFrom("0", "1", "17", "3"), {
      minLength: r.columns["2019"]!.length,
      maxLength: r.columns["2019"]!.length,
    }),
  ),
);
const soup = fc
  .tuple(
    fc.constantFrom(" | ", " |\n", "\n"),
    fc.array(
      fc.oneof(
        { weight: 4, arbitrary: row },
        { weight: 1, arbitrary: placeable },
        { weight: 1, arbitrary: noise },
      ),
      { maxLength: 40 },
    ),
  )
  .map(([cellSep, rows]) =>
    [
      "信息内容 | 本年新 | 本年新 | 对外公开总数量",
      ...rows.map((r) => (typeof r === "string" ? r : [...r[0], ...r[1]].join(cellSep))),
    ].join("\n"),
  );

const seen = { withValues: 0, withFlags: 0 };

function checkRecord(content: string, fileName: string) {
  const rec = extractReport({ content, fileName });
  if (Object.keys(rec.values).length) seen.withValues++;
  if (rec.flags.length) seen.withFlags++;
  // Provenance: every table value has a cell with that key and value, every prose value a sentence.
  for (const [key, value] of Object.entries(rec.values)) {
    const cell = rec.cells.find((c) => c.key === key);
    const fact = rec.facts.find((f) => f.key === key && !f.approx);
    expect(cell?.value ?? fact?.value, key).toBe(value);
  }
  // A flagged row yields no keyed value.
  for (const f of rec.flags) {
    if (!/_ragged$/.test(f.id)) continue;
    const rowKey = /^([a-z_.]+):/.exec(f.detail)?.[1];
    if (!rowKey) continue;
    for (const k of Object.keys(rec.values))
      expect(k === rowKey || k.startsWith(`${rowKey}.`), `${k} from flagged ${rowKey}`).toBe(false);
  }
  for (const c of rec.cells) if (c.key) expect(rec.values[c.key]).toBe(c.value);
}

describe("table reader properties", () => {
  it("never throws on pipe/space/newline soup and keeps flagged rows unkeyed (text)", () => {
    fc.assert(
      fc.property(soup, (s) => checkRecord(s, "soup.txt")),
      { numRuns: RUNS },
    );
  });

  it("the same on soup laid out as HTML table rows", () => {
    const attr = fc.constantFrom("", "", "", ' colspan="2"', ' rowspan="2"', ' colspan="7"');
    const html = fc
      .array(
        fc.oneof(
          fc.array(fc.tuple(token, attr), { maxLength: 12 }),
          row.chain(([l, v]) => fc.tuple(...[...l, ...v].map((t) => fc.tuple(fc.constant(t), attr)))),
        ),
        { maxLength: 30 },
      )
      .map(
        (rows) =>
          `<html><body><table>${rows.map((r) => `<tr>${r.map(([t, a]) => `<td${a}>${t}</td>`).join("")}</tr>`).join("")}</table></body></html>`,
      );
    fc.assert(
      fc.property(html, (s) => checkRecord(s, "soup.html")),
      { numRuns: RUNS },
    );
  });

  it("the soup is not vacuous: some inputs yield keyed values, some yield flags", () => {
    expect(seen.withValues).toBeGreaterThan(RUNS / 25);
    expect(seen.withFlags).toBeGreaterThan(RUNS / 50);
  });
});
