/**
 * Fictional place and person names. Synthetic on purpose: none of these counties exists, but the texts look
 * like the ones the service stores, so text-heavy payloads (exports, lists) weigh what they would in use.
 */
export const COUNTIES: readonly [string, string][] = [
  ["清河县", "Qinghe"],
  ["青山县", "Qingshan"],
  ["白水县", "Baishui"],
  ["安平县", "Anping"],
  ["永宁县", "Yongning"],
  ["长丰县", "Changfeng"],
  ["临川县", "Linchuan"],
  ["东湖县", "Donghu"],
  ["西岭县", "Xiling"],
  ["南屏县", "Nanping"],
  ["北原县", "Beiyuan"],
  ["柳溪县", "Liuxi"],
  ["桃源县", "Taoyuan"],
  ["石门县", "Shimen"],
  ["金沙县", "Jinsha"],
  ["玉泉县", "Yuquan"],
];

export const PLACE_FIRST = [
  "东", "西", "南", "北", "前", "后", "大", "小", "高", "新",
  "石", "李", "王", "张", "刘", "陈", "杨", "黄", "赵", "周",
  "马", "孙", "河", "柳", "桥", "龙", "白", "沙", "枣", "杏",
]; // prettier-ignore

export const PLACE_SECOND = [
  "庄", "营", "寨", "集", "店", "桥", "湖", "河", "岗", "楼",
  "湾", "铺", "屯", "坡", "沟", "堡", "塘", "园", "林", "口",
]; // prettier-ignore

export const PINYIN_FIRST = [
  "Dong", "Xi", "Nan", "Bei", "Qian", "Hou", "Da", "Xiao", "Gao", "Xin",
  "Shi", "Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Zhou",
  "Ma", "Sun", "He", "Liu", "Qiao", "Long", "Bai", "Sha", "Zao", "Xing",
]; // prettier-ignore

export const PINYIN_SECOND = [
  "zhuang", "ying", "zhai", "ji", "dian", "qiao", "hu", "he", "gang", "lou",
  "wan", "pu", "tun", "po", "gou", "bao", "tang", "yuan", "lin", "kou",
]; // prettier-ignore

export const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "赵",
  "黄",
  "周",
  "吴",
  "徐",
  "孙",
  "胡",
  "朱",
  "高",
  "林",
];
export const GIVEN = [
  "伟",
  "芳",
  "建国",
  "秀英",
  "志强",
  "丽",
  "海军",
  "红梅",
  "振华",
  "玉兰",
  "明亮",
  "春生",
  "文斌",
  "淑芬",
];

export const RECIPIENTS = ["村民委员会", "乡镇防汛抢险队", "民兵应急分队", "临时安置点", "卫生院", "学校"];
export const CARRIERS = ["县应急运输队", "顺达物流", "乡镇农机站"];
