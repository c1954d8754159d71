export const TIERS = ["S", "M", "L"] as const;
export type Tier = (typeof TIERS)[number];

/** What a tier holds in total (counties, depots, lots, ledger lines) or per county (townships, villages). */
interface TierSpec {
  counties: number;
  townshipsPerCounty: number;
  villagesPerCounty: number;
  depots: number;
  items: number;
  lots: number;
  lines: number;
  requisitionsPerCounty: number;
}

const SPECS: Record<Tier, TierSpec> = {
  S: {
    counties: 1,
    townshipsPerCounty: 20,
    villagesPerCounty: 400,
    depots: 1_000,
    items: 500,
    lots: 100_000,
    lines: 1_000_000,
    requisitionsPerCounty: 300,
  },
  M: {
    counties: 1,
    townshipsPerCounty: 20,
    villagesPerCounty: 400,
    depots: 5_000,
    items: 500,
    lots: 500_000,
    lines: 5_000_000,
    requisitionsPerCounty: 300,
  },
  L: {
    counties: 16,
    townshipsPerCounty: 20,
    villagesPerCounty: 400,
    depots: 20_000,
    items: 500,
    lots: 2_000_000,
    lines: 20_000_000,
    requisitionsPerCounty: 300,
  },
};

/** The resolved sizes every SQL module reads; everything per county unless named otherwise. */
export interface Plan {
  tier: Tier;
  scale: number;
  counties: number;
  townships: number;
  villages: number;
  depots: number;
  lots: number;
  items: number;
  requisitions: number;
  /** Ledger lines per lot on average; the line generator is built to hit it. */
  linesPerLot: number;
  /**
   * The day the data set is "as of". Fixed, never today: the same tier must give the same rows whenever it is
   * generated, so benchmarks pass `asOf: "2026-11-24"` (or run on that day) to see the intended figures.
   */
  anchor: string;
}

export const ANCHOR_DAY = "2026-11-24";

export function resolvePlan(tier: Tier, scale: number): Plan {
  const spec = SPECS[tier];
  const s = (n: number) => Math.round(n * scale);
  // a county needs neighbours to lend to, and every township its depot plus at least one village point
  const townships = Math.min(999, Math.max(3, s(spec.townshipsPerCounty)));
  const villages = Math.max(townships, s(spec.villagesPerCounty));
  const depots = Math.max(3 + townships + 1, Math.round(s(spec.depots) / spec.counties));
  const lots = Math.max(depots * 4, Math.round(s(spec.lots) / spec.counties));
  return {
    tier,
    scale,
    counties: spec.counties,
    townships,
    villages,
    depots,
    lots,
    items: Math.max(40, s(spec.items)),
    requisitions: Math.max(4, s(spec.requisitionsPerCounty)),
    linesPerLot: spec.lines / spec.lots,
    anchor: ANCHOR_DAY,
  };
}

export interface Args {
  tier: Tier;
  reset: boolean;
  scale: number;
}

export function parseArgs(argv: readonly string[]): Args {
  let tier: Tier | undefined;
  let reset = false;
  let scale = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === "--reset") reset = true;
    else if (arg === "--tier") {
      const t = value?.toUpperCase();
      if (!TIERS.some((x) => x === t)) throw new Error(`--tier must be one of ${TIERS.join(", ")}`);
      tier = t as Tier;
      i++;
    } else if (arg === "--scale") {
      scale = Number(value);
      if (!Number.isFinite(scale) || scale <= 0 || scale > 1) throw new Error("--scale must be in (0, 1]");
      i++;
    } else throw new Error(`unknown argument ${arg ?? ""}`);
  }
  if (!tier) throw new Error("usage: tsx bench/generate.ts --tier S|M|L [--scale 0.01] [--reset]");
  return { tier, reset, scale };
}
