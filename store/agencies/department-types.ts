// What kind of body an agency is, read from the part of its name after the region: a table, not
// code, so a new department is one line. The first row whose word the name holds decides.

export interface DepartmentType {
  /** Stable snake_case code, as stored in agencies.department_type. */
  code: string;
  /** The short Chinese name researchers use (民政, 教育…). */
  label: string;
  /** Words that name it; earlier rows win (发展和改革 before 改革). */
  words: readonly string[];
}

export const DEPARTMENT_TYPES: readonly DepartmentType[] = [
  { code: "development_reform", label: "发展改革", words: ["发展和改革", "发展改革"] },
  { code: "industry_it", label: "工业和信息化", words: ["工业和信息化", "经济和信息化", "工信"] },
  { code: "education", label: "教育", words: ["教育"] },
  { code: "science_technology", label: "科技", words: ["科学技术", "科技"] },
  { code: "ethnic_religious", label: "民族宗教", words: ["民族宗教", "民族事务", "宗教事务"] },
  { code: "public_security", label: "公安", words: ["公安"] },
  { code: "civil_affairs", label: "民政", words: ["民政"] },
  { code: "justice", label: "司法", words: ["司法"] },
  { code: "finance", label: "财政", words: ["财政"] },
  {
    code: "human_resources",
    label: "人力资源社会保障",
    words: ["人力资源和社会保障", "人力资源社会保障", "人社"],
  },
  { code: "natural_resources", label: "自然资源", words: ["自然资源", "国土资源", "规划和自然资源"] },
  { code: "ecology_environment", label: "生态环境", words: ["生态环境", "环境保护"] },
  { code: "housing_construction", label: "住房城乡建设", words: ["住房和城乡建设", "住房城乡建设", "住建"] },
  { code: "transport", label: "交通运输", words: ["交通运输", "交通"] },
  { code: "water_resources", label: "水利", words: ["水利", "水务"] },
  { code: "agriculture", label: "农业农村", words: ["农业农村", "农业"] },
  { code: "commerce", label: "商务", words: ["商务"] },
  { code: "culture_tourism", label: "文化旅游", words: ["文化和旅游", "文化广电和旅游", "文化旅游", "文化"] },
  { code: "health", label: "卫生健康", words: ["卫生健康", "卫生和计划生育", "卫生"] },
  { code: "veterans_affairs", label: "退役军人事务", words: ["退役军人事务"] },
  { code: "emergency_management", label: "应急管理", words: ["应急管理", "安全生产监督"] },
  { code: "audit", label: "审计", words: ["审计"] },
  { code: "market_regulation", label: "市场监管", words: ["市场监督管理", "市场监管", "工商行政管理"] },
  { code: "statistics", label: "统计", words: ["统计"] },
  { code: "taxation", label: "税务", words: ["税务"] },
  { code: "medical_security", label: "医疗保障", words: ["医疗保障"] },
  { code: "forestry", label: "林业", words: ["林业和草原", "林业"] },
  { code: "sports", label: "体育", words: ["体育"] },
  { code: "urban_management", label: "城市管理", words: ["城市管理", "城管"] },
  { code: "data_administration", label: "数据管理", words: ["大数据", "数据资源", "政务服务"] },
  { code: "management_committee", label: "管委会", words: ["管理委员会", "管委会"] },
];

export const OTHER_DEPARTMENT: DepartmentType = { code: "other", label: "其他", words: [] };

export const GOVERNMENT: DepartmentType = { code: "government", label: "人民政府", words: ["人民政府"] };
export const GOVERNMENT_OFFICE: DepartmentType = {
  code: "government_office",
  label: "政府办公室",
  words: ["办公室", "办公厅"],
};

/**
 * The department a name's remainder (the part after the region) names. 人民政府 is read first: its
 * 民政 is not 民政局's. An empty remainder (平潭综合实验区) is the government itself.
 */
export function departmentOf(remainder: string): DepartmentType {
  const afterGovernment = remainder.replace(/^(人民)?政府/, "");
  const government = afterGovernment !== remainder || !remainder;
  if (government && !afterGovernment) return GOVERNMENT;
  if (government && /^办公(室|厅)$/.test(afterGovernment)) return GOVERNMENT_OFFICE;
  return DEPARTMENT_TYPES.find((d) => d.words.some((w) => afterGovernment.includes(w))) ?? OTHER_DEPARTMENT;
}
