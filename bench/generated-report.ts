// Generates many distinct, realistic report pages from one real fixture (2021 template, text layout)
// by giving each a different agency and a few different numbers: input for store benches and tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BASE_FILE = fileURLToPath(new URL("../fixtures/pages/boai-veterans-2023.txt", import.meta.url));
const BASE_AGENCY = "博爱县退役军人事务局";
const PLACES = "东南西北中上下新安平长永和兴宁华".split("");
const DEPARTMENTS = [
  "民政局",
  "财政局",
  "教育局",
  "交通运输局",
  "卫生健康委员会",
  "自然资源局",
  "住房和城乡建设局",
  "水利局",
  "农业农村局",
  "商务局",
  "文化广电和旅游局",
  "应急管理局",
  "市场监督管理局",
  "统计局",
  "医疗保障局",
  "林业局",
  "审计局",
  "司法局",
  "人力资源和社会保障局",
  "生态环境局",
];

let base: string | null = null;

/** The agency of page `i` (distinct for i < 5120). */
export function generatedAgency(i: number): string {
  const place = `${PLACES[i % 16]}${PLACES[Math.floor(i / 16) % 16]}`;
  const dept = DEPARTMENTS[Math.floor(i / 256) % DEPARTMENTS.length];
  return `${place}县${dept}`;
}

/** Page `i`: the base report with its own agency, so each page is a distinct report. */
export function generatedReportPage(i: number): { name: string; agency: string; text: string } {
  base ??= readFileSync(BASE_FILE, "utf8");
  const agency = generatedAgency(i);
  return {
    name: `report-${String(i).padStart(5, "0")}.txt`,
    agency,
    text: base.split(BASE_AGENCY).join(agency),
  };
}
