// The values of the single Chinese digits as reports and portals write them (〇/○/零 for zero in
// years like 二〇二三, 两 for two in counts like 两件): one table for the extractor and the crawler.

export const CHINESE_DIGIT: Readonly<Record<string, number>> = {
  〇: 0,
  "○": 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
