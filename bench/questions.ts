/**
 * The benchmark's questions, as each variant asks them, and how each answer is normalised so the variants can be
 * compared before any timing: a variant that answers differently aborts the run.
 */
export interface Fixture {
  countyId: number;
  /** A township with neighbours, for Q3. */
  townshipId: number;
  depotId: number;
  requisitionId: number;
  asOf: string;
}

const gid = (type: string, countyId: number, id: number) =>
  Buffer.from(`${type}:${countyId}:${id}`).toString("base64url");

export interface Question {
  name: string;
  description: string;
  /** Variant B: this service. */
  graphql(f: Fixture): { query: string; variables: Record<string, unknown> };
  /** Variant A: the hand-written endpoint, path and query string. */
  plain(f: Fixture): string;
  normaliseB(data: unknown): unknown;
  normaliseA(data: unknown): unknown;
  /** Variant C, PostGraphile; absent where it cannot answer (coverage needs aggregates over the region tree). */
  peer?: {
    graphql(f: Fixture): { query: string; variables: Record<string, unknown> };
    normalise(data: unknown): unknown;
  };
}

type Row = Record<string, unknown>;
/** Decimals compared as numbers rounded to thousandths: "12.500" and "12.5" are one quantity. */
const q = (v: unknown) => Math.round(Number(v) * 1000) / 1000;
/** A Q1 row from a GraphQL lot (B and C name the fields alike) and the in-transit quantity of its item. */
const stockPageRow = (l: Row, inTransit: unknown) => [
  l.lotCode,
  q(l.onHand),
  q(l.allocated),
  l.condition,
  (l.item as Row).code,
  (l.item as Row).nameZh,
  q(inTransit),
];

/** Rows sorted by their first column, for answers whose order the question does not fix. */
const byFirst = (rows: unknown[][]) =>
  [...rows].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0));
const plusDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

export const QUESTIONS: Question[] = [
  {
    name: "Q1",
    description:
      "one depot's stock page: 50 lots with item, condition, allocated, and the item's quantity in transit to the depot",
    graphql: (f) => ({
      query: `query($d: ID!) { lots(depotId: $d, first: 50) { nodes {
        lotCode onHand allocated condition item { code nameZh } stockLevel { inTransit } } } }`,
      variables: { d: gid("Depot", f.countyId, f.depotId) },
    }),
    plain: (f) => `/q1?county=${f.countyId}&depot=${f.depotId}`,
    normaliseB: (d) =>
      (d as { lots: { nodes: Row[] } }).lots.nodes.map((l) =>
        stockPageRow(l, (l.stockLevel as Row).inTransit),
      ),
    peer: {
      graphql: (f) => ({
        query: `query($c: BigInt!, $d: BigInt!) { depot(countyId: $c, rowId: $d) {
          lots(first: 50, orderBy: [PRIMARY_KEY_ASC]) { nodes { lotCode onHand allocated condition item { code nameZh } } }
          inTransit: requisitionsByCountyIdAndDestinationDepotId(condition: { status: IN_TRANSIT }) { nodes {
            requisitionLines { nodes { item { code }
              allocations(filter: { dispatchedAt: { isNull: false }, releasedAt: { isNull: true } }) { nodes { quantity } } } } } } } }`,
        variables: { c: String(f.countyId), d: String(f.depotId) },
      }),
      normalise: (d) => {
        const depot = (d as { depot: { lots: { nodes: Row[] }; inTransit: { nodes: Row[] } } }).depot;
        // PostGraphile has no sums: the client adds the in-transit allocations up per item
        const sums = new Map<string, number>();
        for (const r of depot.inTransit.nodes) {
          for (const l of (r.requisitionLines as { nodes: Row[] }).nodes) {
            const code = String((l.item as Row).code);
            for (const a of (l.allocations as { nodes: Row[] }).nodes)
              sums.set(code, q((sums.get(code) ?? 0) + q(a.quantity)));
          }
        }
        return depot.lots.nodes.map((l) => stockPageRow(l, sums.get(String((l.item as Row).code)) ?? 0));
      },
    },
    normaliseA: (d) =>
      (d as Row[]).map((l) => [
        l.lot_code,
        q(l.on_hand),
        q(l.allocated),
        l.condition,
        l.item_code,
        l.item_name,
        q(l.in_transit),
      ]),
  },
  {
    name: "Q2",
    description: "lots expiring within 30 days in a county: the first 100 with depot and region",
    graphql: (f) => ({
      query: `query($r: ID!, $asOf: String) { expiringLots(regionId: $r, within: 30, asOf: $asOf, first: 100) {
        nodes { daysToExpiry lot { lotCode onHand expiresOn depot { code region { nameZh } } } } } }`,
      variables: { r: gid("Region", f.countyId, f.countyId), asOf: f.asOf },
    }),
    plain: (f) => `/q2?county=${f.countyId}&asOf=${f.asOf}`,
    normaliseB: (d) =>
      (d as { expiringLots: { nodes: Row[] } }).expiringLots.nodes.map((n) => {
        const lot = n.lot as Row;
        const depot = lot.depot as Row;
        return [lot.lotCode, q(lot.onHand), lot.expiresOn, depot.code, (depot.region as Row).nameZh];
      }),
    normaliseA: (d) =>
      (d as Row[]).map((r) => [r.lot_code, q(r.on_hand), r.expires_on, r.depot_code, r.region_name]),
    peer: {
      graphql: (f) => ({
        query: `query($c: BigInt!, $from: Date!, $until: Date!) { lots(first: 100,
          condition: { countyId: $c, condition: SERVICEABLE },
          filter: { onHand: { greaterThan: "0" }, expiresOn: { greaterThanOrEqualTo: $from, lessThanOrEqualTo: $until } },
          orderBy: [EXPIRES_ON_ASC, ROW_ID_ASC]) { nodes { lotCode onHand expiresOn depot { code region { nameZh } } } } }`,
        variables: { c: String(f.countyId), from: f.asOf, until: plusDays(f.asOf, 30) },
      }),
      normalise: (d) =>
        (d as { lots: { nodes: Row[] } }).lots.nodes.map((l) => {
          const depot = l.depot as Row;
          return [l.lotCode, q(l.onHand), l.expiresOn, depot.code, (depot.region as Row).nameZh];
        }),
    },
  },
  {
    name: "Q3",
    description:
      "one township's coverage over every normed item, with what neighbours within 60 minutes could lend",
    graphql: (f) => ({
      query: `query($r: ID!, $asOf: String) { coverage(regionId: $r, includeNeighbours: true, asOf: $asOf) {
        lines { item { code } required usable status neighbours { region { divisionCode } travelMinutes quantity } } } }`,
      variables: { r: gid("Region", f.countyId, f.townshipId), asOf: f.asOf },
    }),
    plain: (f) => `/q3?county=${f.countyId}&township=${f.townshipId}&asOf=${f.asOf}`,
    normaliseB: (d) =>
      byFirst(
        (d as { coverage: { lines: Row[] } }).coverage.lines.map((l) => [
          (l.item as Row).code,
          q(l.required),
          q(l.usable),
          l.status,
          (l.neighbours as Row[]).map((n) => [
            (n.region as Row).divisionCode,
            n.travelMinutes,
            q(n.quantity),
          ]),
        ]),
      ),
    normaliseA: (d) =>
      byFirst(
        (d as Row[]).map((l) => [
          l.item_code,
          q(l.required),
          q(l.usable),
          l.status,
          (l.neighbours as Row[]).map((n) => [n.division_code, n.minutes, q(n.quantity)]),
        ]),
      ),
  },
  {
    name: "Q4",
    description: "the county coverage map: every township × every normed item",
    graphql: (f) => ({
      query: `query($c: ID!, $asOf: String) { coverageMap(countyId: $c, level: TOWNSHIP, first: 100, asOf: $asOf) {
        nodes { region { divisionCode } cells { item { code } required usable status } } } }`,
      variables: { c: gid("Region", f.countyId, f.countyId), asOf: f.asOf },
    }),
    plain: (f) => `/q4?county=${f.countyId}&asOf=${f.asOf}`,
    normaliseB: (d) =>
      byFirst(
        (d as { coverageMap: { nodes: Row[] } }).coverageMap.nodes.flatMap((r) =>
          (r.cells as Row[]).map((c) => [
            `${String((r.region as Row).divisionCode)} ${String((c.item as Row).code)}`,
            c.required === null ? null : q(c.required),
            q(c.usable),
            c.status,
          ]),
        ),
      ),
    normaliseA: (d) =>
      byFirst(
        (d as Row[]).map((c) => [
          `${String(c.division_code)} ${String(c.item_code)}`,
          c.required === null ? null : q(c.required),
          q(c.usable),
          c.status,
        ]),
      ),
  },
  {
    name: "Q5",
    description: "a requisition with lines, allocations, approvals and its ledger lines",
    graphql: (f) => ({
      query: `query($id: ID!) { requisition(id: $id) { status
        lines { item { code } requestedQuantity approvedQuantity allocations { quantity lot { lotCode } } }
        approvals { level } movements { kind quantity } } }`,
      variables: { id: gid("Requisition", f.countyId, f.requisitionId) },
    }),
    plain: (f) => `/q5?county=${f.countyId}&id=${f.requisitionId}`,
    normaliseB: (d) => {
      const r = (d as { requisition: Row }).requisition;
      return {
        status: r.status,
        lines: (r.lines as Row[]).map((l) => [
          (l.item as Row).code,
          q(l.requestedQuantity),
          l.approvedQuantity === null ? null : q(l.approvedQuantity),
          (l.allocations as Row[]).map((a) => [(a.lot as Row).lotCode, q(a.quantity)]),
        ]),
        approvals: (r.approvals as Row[]).map((a) => a.level),
        movements: (r.movements as Row[]).map((m) => [m.kind, q(m.quantity)]),
      };
    },
    peer: {
      graphql: (f) => ({
        query: `query($c: BigInt!, $id: BigInt!) { requisition(countyId: $c, rowId: $id) { status
          requisitionLines(orderBy: [PRIMARY_KEY_ASC]) { nodes { requestedQuantity approvedQuantity item { code }
            allocations(orderBy: [PRIMARY_KEY_ASC]) { nodes { quantity lot { lotCode } } } } }
          requisitionApprovals(orderBy: [PRIMARY_KEY_ASC]) { nodes { level } } }
          ledger: movements(condition: { countyId: $c, requisitionId: $id }, orderBy: [PRIMARY_KEY_ASC]) { nodes { kind quantity } } }`,
        variables: { c: String(f.countyId), id: String(f.requisitionId) },
      }),
      normalise: (d) => {
        const data = d as { requisition: Row; ledger: { nodes: Row[] } };
        const r = data.requisition;
        return {
          status: r.status,
          lines: (r.requisitionLines as { nodes: Row[] }).nodes.map((l) => [
            (l.item as Row).code,
            q(l.requestedQuantity),
            l.approvedQuantity === null ? null : q(l.approvedQuantity),
            (l.allocations as { nodes: Row[] }).nodes.map((a) => [(a.lot as Row).lotCode, q(a.quantity)]),
          ]),
          approvals: (r.requisitionApprovals as { nodes: Row[] }).nodes.map((a) => a.level),
          movements: data.ledger.nodes.map((m) => [m.kind, q(m.quantity)]),
        };
      },
    },
    normaliseA: (d) => {
      const r = d as { status: string; lines: Row[]; approvals: Row[]; movements: Row[] };
      return {
        status: r.status,
        lines: r.lines.map((l) => [
          l.item_code,
          q(l.requested_quantity),
          l.approved_quantity === null ? null : q(l.approved_quantity),
          (l.allocations as Row[]).map((a) => [a.lot_code, q(a.quantity)]),
        ]),
        approvals: r.approvals.map((a) => a.level),
        movements: r.movements.map((m) => [m.kind, q(m.quantity)]),
      };
    },
  },
];
