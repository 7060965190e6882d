// The official report templates (国办公开办函〔2019〕60号 and 〔2021〕30号) as data: row labels with
// their variants, column labels, keys, and which columns each row has. The parser reads only this table.

/** A column of a statistics table: its key suffix and the labels that name it on real pages. */
export interface ColumnDef {
  key: string;
  /** Labels as printed; the first is the official one. Matching ignores whitespace and punctuation. */
  labels: string[];
  /** Unit the value is stored in. Amounts in 元 are converted to 万元 and flagged. */
  unit?: "wan_yuan";
  /** Signed values (本年增/减): 减少1 → -1. */
  signed?: boolean;
}

export interface Table1RowDef {
  key: string;
  /** Substrings that identify the row label (normalised). The first is the official label. */
  labels: string[];
  /** Columns per template; a row missing from a template has no entry. */
  columns: Partial<Record<"2019" | "2021", ColumnDef[]>>;
}

const col2021Issued: ColumnDef[] = [
  { key: "issued", labels: ["本年制发件数", "本年制发", "制发件数"] },
  { key: "repealed", labels: ["本年废止件数", "本年废止", "废止件数"] },
  { key: "in_force", labels: ["现行有效件数", "现行有效"] },
];
const col2019Issued: ColumnDef[] = [
  { key: "issued", labels: ["本年新制作数量", "本年新制作", "新制作数量"] },
  { key: "published_new", labels: ["本年新公开数量", "本年新公开", "新公开数量"] },
  { key: "published_total", labels: ["对外公开总数量", "对外公开总数", "公开总数量"] },
];
const col2021Decisions: ColumnDef[] = [{ key: "decisions", labels: ["本年处理决定数量", "处理决定数量"] }];
const col2019Items: ColumnDef[] = [
  { key: "prev_year_items", labels: ["上一年项目数量", "上年项目数量", "上一年项目数"] },
  { key: "change", labels: ["本年增/减", "本年增减", "增/减", "增减"], signed: true },
  { key: "decisions", labels: ["处理决定数量", "本年处理决定数量"] },
];

/** Table 1 — 主动公开. Keys: `proactive.<row>.<column>`. */
export const TABLE1_ROWS: Table1RowDef[] = [
  { key: "regulations", labels: ["规章"], columns: { "2021": col2021Issued, "2019": col2019Issued } },
  {
    key: "normative_documents",
    labels: ["行政规范性文件", "规范性文件"],
    columns: { "2021": col2021Issued, "2019": col2019Issued },
  },
  { key: "licensing", labels: ["行政许可"], columns: { "2021": col2021Decisions, "2019": col2019Items } },
  {
    key: "other_services",
    labels: ["其他对外管理服务事项", "其他对外管理服务"],
    columns: { "2019": col2019Items },
  },
  { key: "penalties", labels: ["行政处罚"], columns: { "2021": col2021Decisions, "2019": col2019Items } },
  { key: "coercion", labels: ["行政强制"], columns: { "2021": col2021Decisions, "2019": col2019Items } },
  {
    key: "fees",
    labels: ["行政事业性收费", "事业性收费"],
    columns: {
      "2021": [
        {
          key: "amount_wan_yuan",
          labels: ["本年收费金额（单位：万元）", "本年收费金额(单位:万元)", "本年收费金额", "收费金额"],
          unit: "wan_yuan",
        },
      ],
      // In 2019 the fees row counts fee items: never an amount.
      "2019": col2019Items.slice(0, 2),
    },
  },
  {
    key: "procurement",
    labels: ["政府集中采购", "集中采购"],
    columns: {
      "2019": [
        { key: "projects", labels: ["采购项目数量", "采购项目数"] },
        { key: "amount_wan_yuan", labels: ["采购总金额", "采购金额"], unit: "wan_yuan" },
      ],
    },
  },
];

/** Labels that mark Table 1 header rows (not data rows). */
export const TABLE1_HEADER_MARKERS = ["信息内容", "第二十条"];

/** Column labels that only one template prints — they decide the template. */
export const TEMPLATE_MARKERS: Record<"2019" | "2021", string[]> = {
  "2021": ["本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量"],
  "2019": [
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "采购项目数量",
    "采购总金额",
    "政府集中采购",
    "其他对外管理服务事项",
  ],
};

/** Table 2 — 依申请公开 columns, in the order the official form prints them. */
export const TABLE2_COLUMNS: ColumnDef[] = [
  { key: "natural_person", labels: ["自然人"] },
  { key: "business", labels: ["商业企业"] },
  { key: "research", labels: ["科研机构"] },
  { key: "nonprofit", labels: ["社会公益组织", "公益组织"] },
  { key: "legal_services", labels: ["法律服务机构"] },
  { key: "other_org", labels: ["其他"] },
  { key: "total", labels: ["总计", "合计"] },
];

/** A group of Table 2 rows ((三)不予公开 …) whose items are numbered 1., 2., … */
export interface Table2GroupDef {
  key: string;
  labels: string[];
  /** Ordinal as printed in the official form: (三) → 3. */
  ordinal: number;
  items: { key: string; labels: string[]; ordinal: number }[];
  /** (六)其他处理 is printed as one row in 2019 and some 2021 pages: its key when unparted. */
  keyWhenSingle?: string;
}

export interface Table2RowDef {
  key: string;
  labels: string[];
  /** Chinese ordinal prefix of top-level rows (一 … 四) or of results rows ((一) … (七)). */
  ordinal?: number;
}

/** Top-level Table 2 rows (一、二、四、) and the single results rows ((一)(二)(七)). */
export const TABLE2_ROWS: Table2RowDef[] = [
  {
    key: "applications.new_received",
    labels: ["本年新收政府信息公开申请数量", "本年新收", "新收政府信息公开申请"],
  },
  { key: "applications.carried_over", labels: ["上年结转政府信息公开申请数量", "上年结转"] },
  { key: "applications.results.granted", labels: ["予以公开"], ordinal: 1 },
  { key: "applications.results.partially_granted", labels: ["部分公开"], ordinal: 2 },
  { key: "applications.results.total", labels: ["总计"], ordinal: 7 },
  { key: "applications.carried_forward", labels: ["结转下年度继续办理", "结转下年度", "结转下年"] },
];

export const TABLE2_GROUPS: Table2GroupDef[] = [
  {
    key: "applications.results.denied",
    labels: ["不予公开"],
    ordinal: 3,
    items: [
      { key: "state_secret", labels: ["属于国家秘密", "国家秘密"], ordinal: 1 },
      {
        key: "prohibited_by_law",
        labels: ["其他法律行政法规禁止公开", "法律行政法规禁止公开", "禁止公开", "行政止公开"],
        ordinal: 2,
      },
      { key: "security_stability", labels: ["危及“三安全一稳定”", "三安全一稳定", "危及"], ordinal: 3 },
      { key: "third_party_rights", labels: ["保护第三方合法权益", "第三方合法权益"], ordinal: 4 },
      {
        key: "internal_affairs",
        labels: ["属于三类内部事务信息", "三类内部事务", "内部事务信息"],
        ordinal: 5,
      },
      { key: "process_information", labels: ["属于四类过程性信息", "四类过程性", "过程性信息"], ordinal: 6 },
      { key: "enforcement_files", labels: ["属于行政执法案卷", "行政执法案卷"], ordinal: 7 },
      { key: "inquiry_matters", labels: ["属于行政查询事项", "行政查询事项"], ordinal: 8 },
    ],
  },
  {
    key: "applications.results.unable",
    labels: ["无法提供"],
    ordinal: 4,
    items: [
      { key: "not_held", labels: ["本机关不掌握相关政府信息", "不掌握相关政府信息", "不掌握"], ordinal: 1 },
      { key: "needs_creation", labels: ["没有现成信息需要另行制作", "另行制作", "没有现成信息"], ordinal: 2 },
      {
        key: "unclear_after_correction",
        labels: ["补正后申请内容仍不明确", "仍不明确", "补正后"],
        ordinal: 3,
      },
    ],
  },
  {
    key: "applications.results.not_processed",
    labels: ["不予处理"],
    ordinal: 5,
    items: [
      { key: "petition_complaint", labels: ["信访举报投诉类申请", "信访举报投诉"], ordinal: 1 },
      { key: "duplicate", labels: ["重复申请"], ordinal: 2 },
      { key: "publications", labels: ["要求提供公开出版物", "公开出版物"], ordinal: 3 },
      { key: "repeated_mass", labels: ["无正当理由大量反复申请", "大量反复申请"], ordinal: 4 },
      {
        key: "confirm_or_reissue",
        labels: ["要求行政机关确认或重新出具已获取信息", "确认或重新出具", "重新出具"],
        ordinal: 5,
      },
    ],
  },
  {
    key: "applications.results.other",
    labels: ["其他处理"],
    ordinal: 6,
    keyWhenSingle: "applications.results.other",
    items: [
      { key: "no_correction", labels: ["逾期不补正", "不补正"], ordinal: 1 },
      {
        key: "no_fee_paid",
        labels: ["逾期未按收费通知要求缴纳费用", "缴纳费用", "逾期不缴费", "不缴费"],
        ordinal: 2,
      },
      { key: "other", labels: ["其他"], ordinal: 3 },
    ],
  },
];

/** Table 3 — 行政复议 / 行政诉讼: fifteen columns in the official order. */
const table3Parts = ["upheld", "corrected", "other", "pending", "total"] as const;
export const TABLE3_PART_LABELS: Record<(typeof table3Parts)[number], string[]> = {
  upheld: ["结果维持"],
  corrected: ["结果纠正"],
  other: ["其他结果"],
  pending: ["尚未审结"],
  total: ["总计"],
};
export const TABLE3_KEYS: string[] = ["review", "litigation.direct", "litigation.after_review"].flatMap(
  (group) => table3Parts.map((part) => `${group}.${part}`),
);
export const TABLE3_GROUP_LABELS = {
  review: ["行政复议"],
  "litigation.direct": ["未经复议直接起诉", "直接起诉"],
  "litigation.after_review": ["复议后起诉"],
};

/** Every key a table can yield, for documentation and tests. */
export function allTableKeys(): string[] {
  const keys = new Set<string>();
  for (const row of TABLE1_ROWS) {
    for (const cols of Object.values(row.columns)) {
      for (const c of cols ?? []) keys.add(`proactive.${row.key}.${c.key}`);
    }
  }
  const t2Rows = [
    ...TABLE2_ROWS.map((r) => r.key),
    ...TABLE2_GROUPS.flatMap((g) => [`${g.key}.total`, ...g.items.map((i) => `${g.key}.${i.key}`)]),
    "applications.results.other",
  ];
  for (const r of t2Rows) for (const c of TABLE2_COLUMNS) keys.add(`${r}.${c.key}`);
  for (const k of TABLE3_KEYS) keys.add(k);
  return [...keys].sort();
}

/** Prose fact keys (every template; the only numbers of pre-2019 reports). */
export const PROSE_KEYS = [
  "proactive.items_published",
  "applications.received",
  "fees.collected_yuan",
  "review.count",
  "litigation.count",
  "staff.count",
  "staff.full_time",
  "staff.part_time",
] as const;
