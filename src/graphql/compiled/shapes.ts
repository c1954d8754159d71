import {
  daySql,
  decimalSql,
  depotStockSql,
  depotVisibleSql,
  globalIdSql,
  instantSql,
  stockLevelOfLotSql,
} from "../../db/compiled/statement.js";
import { bucketOfDays } from "../../domain/readiness/expiry.js";
import { allocationStatusOf } from "../../domain/requisition/allocation.js";
import { asOfArg } from "../asOf.js";
import type { NodeType } from "../ids.js";
import type { Env, FieldShape, ObjectShape } from "./model.js";

/**
 * How the hot types of the API are answered in SQL: each field as the type's `from` and its field resolver give
 * it, custody through the repositories' fragments. A field missing here is answered by its resolver.
 */

const scalar = (name: string, format: (e: string) => string = (e) => e): FieldShape => ({
  kind: "scalar",
  sql: (a) => format(`${a}.${name}`),
});
const decimal = (name: string) => scalar(name, decimalSql);
const day = (name: string) => scalar(name, daySql);
const instant = (name: string) => scalar(name, instantSql);
const countyNodeId = (type: NodeType) => (a: string) => globalIdSql(type, `${a}.county_id`, `${a}.id`);
const idField = (nodeId: (a: string) => string): FieldShape => ({ kind: "scalar", sql: nodeId });

/** A depot the viewer may read, by the repositories' custody fragment over the depot under alias `d`. */
const depotVisible = (env: Env, d: string) => depotVisibleSql(env.st, env.ctx.scope, d);

const byCountyId = (table: string, a: string, b: string, idColumn: string) => ({
  from: `${table} ${b}`,
  where: `${b}.county_id = ${a}.county_id and ${b}.id = ${a}.${idColumn}`,
});

/** Rows of `table` that belong to the parent's row through `parentColumn`, oldest first (as the loaders order them). */
const childrenOf = (table: string, parentColumn: string) => (a: string, b: string) => ({
  from: `${table} ${b}`,
  where: `${b}.county_id = ${a}.county_id and ${b}.${parentColumn} = ${a}.id`,
  orderBy: `${b}.id`,
});

/** The catalogue item a row is of. */
const itemOf: FieldShape = {
  kind: "object",
  type: "Item",
  list: false,
  source: (a, b) => ({ from: `items ${b}`, where: `${b}.id = ${a}.item_id` }),
};

/** Days from the day `expiringLots` judges on to the lot's expiry. */
const daysToExpirySql = (a: string, env: Env) => `(${a}.expires_on - ${expiringAsOf(env)})`;

const lotId = countyNodeId("Lot");
const depotId = countyNodeId("Depot");
const regionId = countyNodeId("Region");
const itemId = (a: string) => globalIdSql("Item", null, `${a}.id`);
const userId = (a: string) => globalIdSql("User", null, `${a}.id`);
const requisitionId = countyNodeId("Requisition");
const movementId = countyNodeId("Movement");

/** A person on a record (who approved, who acted): any user, as the user loader answers. */
const userOf = (column: string): FieldShape => ({
  kind: "object",
  type: "User",
  list: false,
  source: (a, b) => ({ from: `users ${b}`, where: `${b}.id = ${a}.${column}` }),
});

export const OBJECT_SHAPES: Record<string, ObjectShape> = {
  Lot: {
    nodeId: lotId,
    fields: {
      id: idField(lotId),
      lotCode: scalar("lot_code"),
      receivedOn: day("received_on"),
      expiresOn: day("expires_on"),
      condition: scalar("condition"),
      serialNumber: scalar("serial_number"),
      lastTestRunOn: day("last_test_run_on"),
      onHand: decimal("on_hand"),
      allocated: decimal("allocated"),
      item: itemOf,
      // null when the depot is outside the viewer's scope (a lender's lot), as the resolver answers
      depot: {
        kind: "object",
        type: "Depot",
        list: false,
        source: (a, b, env) => {
          const s = byCountyId("depots", a, b, "depot_id");
          return { ...s, where: `${s.where} and ${depotVisible(env, b)}` };
        },
      },
      stockLevel: {
        kind: "object",
        type: "StockLevel",
        list: false,
        source: (a, b, env, args) => {
          const d = env.st.alias("d");
          const asOf = asOfArg(env.ctx, args.asOf as string | null | undefined);
          return {
            from: `${stockLevelOfLotSql(env.st, a, asOf)} ${b}`,
            where: `exists (select 1 from depots ${d} where ${d}.county_id = ${a}.county_id and ${d}.id = ${a}.depot_id and ${depotVisible(env, d)})`,
          };
        },
      },
    },
  },
  StockLevel: {
    fields: {
      item: itemOf,
      onHand: decimal("on_hand"),
      allocated: decimal("allocated"),
      inTransit: decimal("in_transit"),
      quarantined: decimal("quarantined"),
      damaged: decimal("damaged"),
      expired: decimal("expired"),
      usable: decimal("usable"),
      reserveFloor: decimal("reserve_floor"),
    },
  },
  Item: {
    nodeId: itemId,
    fields: {
      id: idField(itemId),
      code: scalar("code"),
      nameZh: scalar("name_zh"),
      nameEn: scalar("name_en"),
      description: scalar("description"),
      category: scalar("category"),
      trackingMode: scalar("tracking_mode"),
      shelfLifeDays: scalar("shelf_life_days"),
      rotationLeadDays: scalar("rotation_lead_days"),
      testRunIntervalDays: scalar("test_run_interval_days"),
      returnable: scalar("returnable"),
      classificationCode: scalar("classification_code"),
      retiredAt: instant("retired_at"),
      retiredReason: scalar("retired_reason"),
    },
  },
  Depot: {
    nodeId: depotId,
    fields: {
      id: idField(depotId),
      code: scalar("code"),
      kind: scalar("kind"),
      nameZh: scalar("name_zh"),
      nameEn: scalar("name_en"),
      address: scalar("address"),
      custodianOrg: scalar("custodian_org"),
      latitude: scalar("latitude"),
      longitude: scalar("longitude"),
      callUpLeadHours: scalar("call_up_lead_hours"),
      closedAt: instant("closed_at"),
      closedReason: scalar("closed_reason"),
      stock: {
        kind: "object",
        type: "StockLevel",
        list: true,
        source: (a, b, env, args) => ({
          from: `${depotStockSql(env.st, a, asOfArg(env.ctx, args.asOf as string | null | undefined))} ${b}`,
          where: "true",
          orderBy: `${b}.item_id`,
        }),
      },
      // a region is readable in the counties of the viewer's scope (loadRegion)
      region: {
        kind: "object",
        type: "Region",
        list: false,
        source: (a, b, env) => {
          const s = byCountyId("regions", a, b, "region_id");
          return {
            ...s,
            where: `${s.where} and ${b}.county_id = any(${env.st.param(`{${env.ctx.scope.counties.join(",")}}`, "bigint[]")})`,
          };
        },
      },
    },
  },
  Region: {
    nodeId: regionId,
    fields: {
      id: idField(regionId),
      level: scalar("level"),
      divisionCode: scalar("division_code"),
      nameZh: scalar("name_zh"),
      nameEn: scalar("name_en"),
      population: scalar("population"),
    },
  },
  ExpiringLot: {
    fields: {
      lot: { kind: "object", type: "Lot", list: false, source: () => "same" },
      daysToExpiry: { kind: "scalar", sql: daysToExpirySql },
      // the window is the domain's rule: SQL gives the days left
      bucket: {
        kind: "computed",
        sql: daysToExpirySql,
        finish: (days) => bucketOfDays(days as number),
      },
    },
  },
  Requisition: {
    nodeId: requisitionId,
    fields: {
      id: idField(requisitionId),
      status: scalar("status"),
      priority: scalar("priority"),
      neededBy: instant("needed_by"),
      reason: scalar("reason"),
      incident: scalar("incident"),
      releaseOrderNo: scalar("release_order_no"),
      returnDueOn: day("return_due_on"),
      carrier: scalar("carrier"),
      vehicle: scalar("vehicle"),
      driverContact: scalar("driver_contact"),
      createdAt: instant("created_at"),
      dispatchedAt: instant("dispatched_at"),
      receivedAt: instant("received_at"),
      lines: {
        kind: "object",
        type: "RequisitionLine",
        list: true,
        source: childrenOf("requisition_lines", "requisition_id"),
      },
      approvals: {
        kind: "object",
        type: "Approval",
        list: true,
        source: childrenOf("requisition_approvals", "requisition_id"),
      },
      timeline: {
        kind: "object",
        type: "RequisitionEvent",
        list: true,
        source: childrenOf("requisition_events", "requisition_id"),
      },
      // each side reads its own books: lines at depots in the viewer's scope (movementsOfRequisitions)
      movements: {
        kind: "object",
        type: "Movement",
        list: true,
        source: (a, b, env) => {
          const d = env.st.alias("d");
          return {
            from: `movements ${b} join depots ${d} on ${d}.county_id = ${b}.county_id and ${d}.id = ${b}.depot_id`,
            where: `${b}.county_id = ${a}.county_id and ${b}.requisition_id = ${a}.id and ${depotVisible(env, d)}`,
            orderBy: `${b}.id`,
          };
        },
      },
    },
  },
  RequisitionLine: {
    fields: {
      id: idField(countyNodeId("RequisitionLine")),
      requestedQuantity: decimal("requested_quantity"),
      approvedQuantity: decimal("approved_quantity"),
      dispatchedQuantity: decimal("dispatched_quantity"),
      acceptedQuantity: decimal("accepted_quantity"),
      returnedQuantity: decimal("returned_quantity"),
      item: itemOf,
      allocations: {
        kind: "object",
        type: "Allocation",
        list: true,
        source: childrenOf("allocations", "requisition_line_id"),
      },
    },
  },
  Allocation: {
    fields: {
      quantity: decimal("quantity"),
      // the standing is the domain's rule: SQL gives the facts it is read from
      status: {
        kind: "computed",
        sql: (a) =>
          `json_build_array(${a}.accepted_quantity is not null, ${a}.released_at is not null, ${a}.dispatched_at is not null)`,
        finish: (facts) => {
          const [accepted, released, dispatched] = facts as [boolean, boolean, boolean];
          return allocationStatusOf({ accepted, released, dispatched });
        },
      },
      floorUsed: decimal("floor_used"),
      acceptedQuantity: decimal("accepted_quantity"),
      returnedQuantity: decimal("returned_quantity"),
      // the lot at the lender, whatever the viewer's scope: the requisition is what was checked (anyLot)
      lot: {
        kind: "object",
        type: "Lot",
        list: false,
        source: (a, b) => byCountyId("lots", a, b, "lot_id"),
      },
    },
  },
  User: {
    nodeId: userId,
    fields: {
      id: idField(userId),
      username: scalar("username"),
      displayName: scalar("display_name"),
      organisation: scalar("organisation"),
      phone: scalar("phone"),
      disabled: { kind: "scalar", sql: (a) => `(${a}.disabled_at is not null)` },
      disabledAt: instant("disabled_at"),
      mustChangePassword: scalar("must_change_password"),
    },
  },
  RequisitionEvent: {
    fields: {
      actor: userOf("actor_id"),
      fromStatus: scalar("from_status"),
      toStatus: scalar("to_status"),
      note: scalar("note"),
      occurredAt: instant("occurred_at"),
    },
  },
  Approval: {
    fields: {
      approver: userOf("approver_id"),
      level: scalar("level"),
      releaseOrderNo: scalar("release_order_no"),
      note: scalar("note"),
      approvedAt: instant("approved_at"),
    },
  },
  Movement: {
    nodeId: movementId,
    fields: {
      id: idField(movementId),
      kind: scalar("kind"),
      quantity: decimal("quantity"),
      occurredAt: instant("occurred_at"),
      recordedAt: instant("recorded_at"),
      reason: scalar("reason"),
      reference: scalar("reference"),
      source: scalar("source"),
      recipient: scalar("recipient"),
      purpose: scalar("purpose"),
      writeOffCause: scalar("write_off_cause"),
      releaseOrderNo: scalar("release_order_no"),
      // whoever reads the line reads the emergency that covers its depot, so no scope is needed here
      emergencyNumber: {
        kind: "scalar",
        sql: (a) =>
          `(select e.number from emergencies e where e.county_id = ${a}.county_id and e.id = ${a}.emergency_id)`,
      },
    },
  },
};

/** The day `expiringLots` judges on, which its root sets for the fields below it. */
const expiringAsOf = (env: Env): string => {
  if (!env.judgedOn) throw new Error("ExpiringLot outside expiringLots");
  return env.judgedOn;
};
