import { aCounty, type ProvisionedCounty } from "./factories.js";
import {
  aDispatchedRequisition,
  aLendingPair,
  aReceivedRequisition,
  between,
  type LendingPair,
} from "./requisitionFactories.js";
import { type GqlResult, resolverTwin, startTestService, type TestService } from "./service.js";
import { aLotOf } from "./stockFactories.js";

/**
 * The world the compiled read path is held equal to its resolver twin in (test/compiledReads*.test.ts): a lending
 * pair whose lender holds two items in three lots, a dispatched requisition between them (allocations, approvals,
 * movements on both sides) and a received one (lots at the borrower, a loan), and another county with a lot of its
 * own, seen by seven roles.
 */
export interface CompiledWorld {
  svc: TestService;
  /** The same service over the same database with COMPILED_READS=false. */
  twin: Pick<TestService, "gql">;
  pair: LendingPair;
  other: ProvisionedCounty;
  requisitionId: string;
  receivedId: string;
  /** Who asks, by a name a failure message can say. */
  roles: Record<string, string>;
  /** How many operations the compiled path answered itself, and how many it handed to the resolvers. */
  outcomes(): Promise<{ compiled: number; resolvers: number }>;
  stop(): Promise<void>;
}

const METRICS_TOKEN = "metrics-token-for-compiled-reads";

export async function aCompiledWorld(now: Date): Promise<CompiledWorld> {
  const svc = await startTestService({ clock: () => now, env: { METRICS_TOKEN } });
  const twin = await resolverTwin(svc, { clock: () => now });
  const pair = await aLendingPair(svc, { items: [{ returnable: true, unitCode: "tonne" }, {}] });
  const [jackets, bags] = pair.county.items;
  await aLotOf(pair.lender.depot, jackets!, "40", { expiresOn: "2026-12-10" });
  await aLotOf(pair.lender.depot, jackets!, "12.5", { expiresOn: "2026-12-01" });
  await aLotOf(pair.lender.depot, bags!, "300");
  await aLotOf(pair.borrower.depot, bags!, "7", { expiresOn: "2026-12-20" });
  const sent = await aDispatchedRequisition(
    between(pair, [
      { item: jackets!, quantity: "45" },
      { item: bags!, quantity: "20" },
    ]),
    pair.lender.depot,
  );
  const received = await aReceivedRequisition(
    between(pair, [{ item: jackets!, quantity: "5" }]),
    pair.lender.depot,
  );
  const other = await aCounty(svc, { townships: 1, items: [{}] });
  await aLotOf(other.townships[0]!.depot, other.items[0]!, "5", { expiresOn: "2026-12-05" });
  const roles = {
    "county officer": pair.county.officer,
    auditor: pair.county.auditor,
    "lender's office": pair.lender.officer,
    "borrower's office": pair.borrower.officer,
    "lender's keeper": pair.lender.depot.keeper,
    "borrower's keeper": pair.borrower.depot.keeper,
    "another county's officer": other.officer,
  };
  return {
    svc,
    twin,
    pair,
    other,
    requisitionId: sent.id,
    receivedId: received.id,
    roles,
    outcomes: () => outcomesOf(svc),
    async stop() {
      await twin.stop();
      await svc.stop();
    },
  };
}

async function outcomesOf(svc: TestService): Promise<{ compiled: number; resolvers: number }> {
  const res = await fetch(svc.url.replace(/\/graphql$/, "/metrics"), {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = await res.text();
  const count = (outcome: string) => {
    const series = `graphql_compiled_answers_total{outcome="${outcome}"} `;
    const line = text.split("\n").find((l) => l.startsWith(series));
    return line ? Number(line.slice(series.length)) : 0;
  };
  return { compiled: count("compiled"), resolvers: count("resolvers") };
}

/** One question asked of the service and of its twin, with how many operations the compiled path answered. */
export async function askBoth(
  world: CompiledWorld,
  query: string,
  variables: Record<string, unknown>,
  as: string,
): Promise<{ compiled: GqlResult; resolved: GqlResult; answeredCompiled: number }> {
  const before = await world.outcomes();
  const compiled = await world.svc.gql(query, variables, as);
  const after = await world.outcomes();
  const resolved = await world.twin.gql(query, variables, as);
  return { compiled, resolved, answeredCompiled: after.compiled - before.compiled };
}
