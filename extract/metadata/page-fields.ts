// Reads the metadata fields portals print around a report (索引号, 发布机构, 发布日期 …), in the shapes
// they take: "名称：值" lines, several on one line ("来源：X　发布时间：Y"), pipe tables flattened to text
// ("发布机构 | X | 发布日期 | Y"), and label/value runs with no separator ("发布单位 X 发布日期 Y").

const FIELD_NAMES = [
  "索引号",
  "组配分类",
  "主题分类",
  "体裁分类",
  "信息分类",
  "发文机关",
  "发布机构",
  "发布单位",
  "公开部门",
  "成文日期",
  "发文日期",
  "发文字号",
  "文号",
  "发布时间",
  "发布日期",
  "公开日期",
  "生效日期",
  "废止日期",
  "公开方式",
  "公开范围",
  "有效性",
  "标题",
  "信息名称",
  "名称",
  "信息来源",
  "文章来源",
  "来源",
  "时间",
  "日期",
  "作者",
  "责任编辑",
  "分类",
  "所属机构",
  "主题词",
  "浏览次数",
  "点击数",
  "字号",
  "字体",
];

// 文  号 / 标 题: names are spaced out to align a metadata table. Longest names first.
const NAME_RE = [...FIELD_NAMES]
  .sort((a, b) => b.length - a.length)
  .map((n) => [...n].join("\\s*"))
  .join("|");
const FIELD_AT = new RegExp(`(${NAME_RE})\\s*([:：|]|\\s)\\s*`, "g");
/** Before a name: the line's start or a separator; right after other text only when a colon follows. */
const NAME_BOUNDARY = /[\s|　，,;；【[]$/;

/** Every field on one line, by name (spaces removed), first occurrence kept. */
export function fieldsOf(line: string): Map<string, string> {
  // 发布机构：江苏省水利厅发文日期：2023-01-20 — spans glued together still separate at the colon.
  const hits = [...line.matchAll(FIELD_AT)].filter(
    (h) => h.index === 0 || NAME_BOUNDARY.test(line.slice(0, h.index)) || /[:：]/.test(h[2]!),
  );
  const out = new Map<string, string>();
  // A name followed only by a space counts when the line holds several names (a label/value run).
  const separated = hits.filter((h) => h[2] !== " " && !/^\s$/.test(h[2]!));
  const usable = hits.length >= 2 ? hits : separated;
  usable.forEach((h, i) => {
    const start = h.index! + h[0].length;
    const end = i + 1 < usable.length ? usable[i + 1]!.index! : line.length;
    const value = line
      .slice(start, end)
      .replace(/[|\s　]+$/, "")
      .replace(/^[|\s]+/, "")
      .trim();
    const name = h[1]!.replace(/\s+/g, "");
    if (value && !out.has(name)) out.set(name, value);
  });
  return out;
}

/** The first of `names` (|-separated, in order of preference) printed on any of the lines. */
export function field(lines: string[], names: string): string | null {
  const wanted = names.split("|");
  for (const line of lines) {
    if (line.length > 400) continue;
    const fields = fieldsOf(line);
    if (fields.size === 0) continue;
    for (const n of wanted) {
      const v = fields.get(n);
      if (v) return v;
    }
  }
  return null;
}
