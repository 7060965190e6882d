// Finds strings injected into hacked government pages (gambling sites and the like) and cuts them out.
// The page keeps its real text; each cut string is reported so the flag spam_injected can name it.

const SPAM =
  /(?:beplay|bet365|bet\s?\d{3}|betway|manbetx|万博体育|365体育|体育投注|体育全站|体育官网|体育app|体育平台|足球投注|篮球投注|博彩|赌场|赌博网|百家乐|真人娱乐|真人视讯|真人荷官|棋牌游戏|棋牌平台|电子游艺|娱乐城|亚博体育|开云体育|kaiyun|半岛体育|乐鱼体育|九游会|爱游戏体育|必威体育|威廉希尔|新葡京|葡京娱乐|威尼斯人娱乐|皇冠体育|时时彩|北京赛车|pk10|ag真人|彩票平台|网投平台)[\w\u4e00-\u9fa5.]{0,10}/gi;

export interface SpamHit {
  text: string;
  line: number;
}

/** Removes spam from one line; returns the cleaned line and what was cut. */
export function stripSpam(line: string): { text: string; hits: string[] } {
  const hits: string[] = [];
  const text = line.replace(SPAM, (m) => {
    hits.push(m);
    return "";
  });
  return { text: hits.length ? text.replace(/\s{2,}/g, " ").trim() : line, hits };
}
