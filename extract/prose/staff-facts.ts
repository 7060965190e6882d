// Staff stated in prose: 兼职工作人员5人, 配备1名全职工作人员, 专职人员6名、兼职人员223名. A qualified
// number has its own key (staff.full_time / staff.part_time); staff.count is the one number when a
// sentence states only one, or a stated total — never a sum we make.
import { CHINESE_DIGIT } from "../../core/chinese-digits.ts";
import type { Fact } from "../schema.ts";

const KINDS: Record<string, "staff.full_time" | "staff.part_time"> = {
  专职: "staff.full_time",
  全职: "staff.full_time",
  兼职: "staff.part_time",
};
const N = "(\\d{1,4}|[一二两三四五六七八九十])";
// 工作人员, and the other words reports use for the person who does the work: 信息员, 联络员, 同志.
const ROLE = "(?:信息公开|政务公开|公开)?(?:工作)?(?:人员|信息员|联络员|同志)";
// 兼职工作人员5人 / 专职人员6名
// (兼职512人: the role word left out after the first part.)
const KIND_THEN_N = new RegExp(`(专职|兼职|全职)(?:${ROLE})?\\s*${N}\\s*(?:名|人)(?!次)`, "g");
// 专（兼）职工作人员共768人 / 工作人员共计12名: a stated total, before its parts.
const TOTAL = new RegExp(
  `(?:专[（(]兼[）)]职|专兼职)?(?:信息公开|政务公开|公开)?(?:工作)?人员(?:共|共计|合计|总计)\\s*${N}\\s*(?:名|人)(?!次)`,
);
// 安排工作人员3名 / 配备信息员2人: the staff the office set to the work.
const SET_ROLE_N = new RegExp(
  `(?:安排|配备|明确|指定|确定|设)(?:了)?(?:专门)?${ROLE}\\s*${N}\\s*(?:名|人)(?!次)`,
  "g",
);
// 1名全职工作人员 / 3名兼职工作人员 / 配备1名工作人员 / 有1名兼职负责… (the kind alone names the person)
// / 1名工作人员专职负责… (the kind after the person) / 明确1位同志为信息员
const N_THEN_KIND = new RegExp(
  `${N}\\s*(?:名|位)\\s*(?:(专职|兼职|全职)(?:${ROLE})?|${ROLE}(专职|兼职)?)`,
  "g",
);
// 信息公开工作人员3人 (no kind)
const ROLE_THEN_N = new RegExp(`公开工作人员\\s*${N}\\s*(?:名|人)(?!次)`, "g");
const CN: Readonly<Record<string, number>> = { ...CHINESE_DIGIT, 十: 10 };

type StaffFact = Fact & { priority: number };

export function readStaff(s: { text: string; offset: number }): StaffFact[] {
  // Training audiences (培训…工作人员120人) are not the office's staff.
  if (!/人员|信息员|联络员|同志|名(?:专职|兼职|全职)/.test(s.text) || /培训|参训|参加/.test(s.text))
    return [];
  const mentions: { kind: string | null; n: number; at: number }[] = [];
  const num = (t: string) => (/^\d/.test(t) ? Number(t) : (CN[t] ?? null));
  for (const m of s.text.matchAll(KIND_THEN_N)) {
    const n = num(m[2]!);
    if (n !== null) mentions.push({ kind: m[1]!, n, at: m.index! });
  }
  for (const m of s.text.matchAll(N_THEN_KIND)) {
    const n = num(m[1]!);
    // 各处室指定一名兼职信息员: one in each office, not the office's staff.
    const distributive = /[各每][^，。,；]{0,8}$/.test(s.text.slice(Math.max(0, m.index! - 10), m.index!));
    if (n !== null && !distributive && !mentions.some((x) => Math.abs(x.at - m.index!) < 4))
      mentions.push({ kind: m[2] ?? m[3] ?? null, n, at: m.index! });
  }
  if (mentions.length === 0) {
    for (const m of [...s.text.matchAll(ROLE_THEN_N), ...s.text.matchAll(SET_ROLE_N)]) {
      const n = num(m[1]!);
      if (n !== null) mentions.push({ kind: null, n, at: m.index! });
    }
  }
  const base = { approx: false, sentence: s.text, offset: s.offset, priority: 1 };
  const out: StaffFact[] = [];
  const total = TOTAL.exec(s.text);
  const totalN = total ? num(total[1]!) : null;
  for (const m of mentions) {
    if (total && Math.abs(m.at - total.index) < 4) continue; // the total itself, seen by another pattern
    if (m.kind) out.push({ ...base, key: KINDS[m.kind]!, value: m.n });
  }
  if (totalN !== null) out.push({ ...base, key: "staff.count", value: totalN });
  // One number alone is the staff, unless it is a part after 其中 (其中专职人员256人: the total is elsewhere).
  else if (mentions.length === 1 && !/其中[^。；]*$/.test(s.text.slice(0, mentions[0]!.at)))
    out.push({ ...base, key: "staff.count", value: mentions[0]!.n });
  return out;
}
