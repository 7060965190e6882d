// Recognises portal chrome — navigation, breadcrumbs, print/share bars, exit dialogs, footers — and
// the 索引号/发布时间 metadata block, so neither reaches headings, sections or prose facts.

const CHROME: RegExp[] = [
  /ICP备|ICP证|公网安备|网站标识码|网站识别码|政府网站标识|主办单位[:：]|承办单位[:：]|技术支持[:：]|维护单位[:：]|运维电话|版权所有|Copyright|©|建议使用.{0,20}浏览器|最佳浏览效果/i,
  /您访问的链接即将离开|即将离开.{0,20}网站|是否继续|^继续访问$|^放弃$|^取消$|^确定$/,
  /^当前位置|^您的位置|^您当前的位置|^首页\s*[>›»]|\s[>›»]\s.*[>›»]/,
  /【\s*打印\s*】|【\s*关闭\s*】|【\s*字体|字[体号][:：]?\s*\[?\s*大\s*\]?\s*\[?\s*中|^打印本页|^关闭窗口|^打印$|^关闭$|^分享到|^扫一扫|^收藏$|^返回顶部|^上一篇|^下一篇|^相关链接|^网站地图|^联系我们|^微信$|^微博$/,
  /繁体版|简体版|无障碍|长者助手|移动版|English|^登录$|^注册$|^搜索$|^智能问答$/,
  /^(浏览次数|访问量|阅读次数|点击数)[:：]/,
];

/**
 * Fields of the metadata block (索引号, 发布时间 …): read for metadata, kept out of the body text.
 * (【发布时间：2016-03-25】【浏览次数：】【打印】: an article bar puts each field in brackets.)
 */
export const META_FIELD =
  /^[-•·\s【[]*(索引号|组配分类|主题分类|体裁分类|信息分类|发文机关|发布机构|发布单位|公开部门|成文日期|发文日期|公开日期|发文字号|文号|发布时间|发布日期|生效日期|废止日期|公开方式|公开范围|有效性|标题|名称|来源|信息来源|文章来源|时间|日期|作者|责任编辑|分类|所属机构|主题词)\s*[:：|]/;

export function isChromeLine(line: string): boolean {
  return CHROME.some((re) => re.test(line));
}

/** A byline that opens with the publication time: 2022-01-25 10:12:40 某某办公室 字体：大 中 小. */
const DATED_BYLINE = /^\s*\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}/;

export function isMetaLine(line: string): boolean {
  // 标 题 | … / 索 引 号：…: names spaced out to align a metadata table.
  const head = line.slice(0, 12).replace(/(?<=[\u4e00-\u9fa5])\s+(?=[\u4e00-\u9fa5])/g, "") + line.slice(12);
  return META_FIELD.test(head) || DATED_BYLINE.test(line);
}
