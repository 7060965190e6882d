// Mirrors of report pages print them in Traditional characters (依申請公開, 商業企業), sometimes with a
// pinyin gloss after each converted character (報(bào)告). Labels and names are matched in Simplified,
// so such a page is folded to Simplified first (OpenCC's dictionaries), and the glosses are cut out.
import * as OpenCC from "opencc-js/t2cn";

/**
 * Characters that exist only in Traditional writing and are frequent in these reports. A Simplified
 * page has almost none of them; a mirror has them in every sentence.
 */
const TRADITIONAL_ONLY =
  /[開報與這國區縣關於為發數據請務門會條實機構業辦處體統計們時進過還對應將員總結議經濟費場網點項類質環護規範標準問題單屬號複訴審產書記錄權當證導傳聯續劃歷黨級變華專團勞動讓該認識義執層鎮鄉廳決歸覆舉訊響備醫療衛稅財營廣視聽顯擴雙臺灣們禮]/g;
const CJK = /[\u4e00-\u9fff]/g;
/** A pinyin syllable with its tone mark, in brackets right after a character: 區(qū), 據(jù). */
const PINYIN_GLOSS =
  /(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)/g;

const TONE_MARK = /[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]/;

let converter: ((s: string) => string) | null = null;

/** Traditional → Simplified, whatever the text (the converter is built on first use: ~0.2 s). */
export function toSimplified(s: string): string {
  const convert = converter ?? OpenCC.Converter({ from: "t", to: "cn" });
  converter = convert;
  return convert(s);
}

export interface FoldResult {
  text: string;
  /** How many Traditional-only characters the page had (0 when it was not folded). */
  folded: number;
  glosses: number;
}

export function foldTraditional(content: string): FoldResult {
  let text = content;
  let glosses = 0;
  // Most pages have brackets but no tone marks: one scan for a tone mark spares the gloss search.
  if (text.includes("(") && TONE_MARK.test(text)) {
    text = text.replace(PINYIN_GLOSS, () => {
      glosses++;
      return "";
    });
  }
  const traditional = text.match(TRADITIONAL_ONLY)?.length ?? 0;
  if (traditional < 10) return { text, folded: 0, glosses };
  const cjk = text.match(CJK)?.length ?? 0;
  // A Simplified page may quote a Traditional name or two; a mirror is Traditional throughout.
  if (traditional < cjk * 0.03) return { text, folded: 0, glosses };
  return { text: toSimplified(text), folded: traditional, glosses };
}
