/**
 * The units county 台账 count in, by Chinese name, with their codes and decimals: the demo county's catalogue, and
 * what the import creates (through createUnit, before the item) when an item names one a fresh install lacks.
 */
export const STANDARD_UNITS = [
  { code: "piece", nameZh: "件", nameEn: "piece", scale: 0 },
  { code: "tonne", nameZh: "吨", nameEn: "tonne", scale: 3 },
  { code: "m3", nameZh: "立方米", nameEn: "cubic metre", scale: 3 },
  { code: "kg", nameZh: "千克", nameEn: "kilogram", scale: 3 },
  { code: "m2", nameZh: "平方米", nameEn: "square metre", scale: 2 },
  { code: "unit", nameZh: "台", nameEn: "unit", scale: 0 },
  { code: "litre", nameZh: "升", nameEn: "litre", scale: 3 },
  { code: "vehicle", nameZh: "辆", nameEn: "vehicle", scale: 0 },
] as const;

export const standardUnit = (written: string) =>
  STANDARD_UNITS.find((u) => u.nameZh === written || u.code === written.toLowerCase()) ?? null;
