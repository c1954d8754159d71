import { Field, Int, ObjectType } from "type-graphql";
import type { RegionRow } from "../../../db/repositories/regions.js";
import type { RegionLevel } from "../../../domain/region/region.js";
import { RegionLevelEnum } from "../../enums.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { Node } from "../node/node.type.js";

@ObjectType({
  implements: Node,
  description: "An administrative region (行政区划): county, township or village.",
})
export class Region extends Node {
  countyId!: number;
  regionId!: number;
  parentId!: number | null;

  @Field(() => RegionLevelEnum, { description: "County, township or village." })
  level!: RegionLevel;

  @Field(() => String, { description: "12-digit statistical division code (统计用区划代码)." })
  divisionCode!: string;

  @Field(() => String, { description: "Chinese name, e.g. 城关镇." })
  nameZh!: string;

  @Field(() => String, { description: "English (pinyin) name." })
  nameEn!: string;

  @Field(() => Int, { description: "Residents; per-capita reserve norms are computed from it." })
  population!: number;

  static from(row: RegionRow): Region {
    const { id, ...rest } = row;
    return Object.assign(new Region(), rest, {
      regionId: id,
      id: toGlobalId("Region", { countyId: row.countyId, id }),
    });
  }
}

@ObjectType({ description: "A mutual-aid link to a neighbouring township (相邻乡镇互助)." })
export class NeighbourLink {
  @Field(() => Region, { description: "The neighbouring region." })
  region!: Region;

  @Field(() => Int, { description: "Travel time by road, in minutes." })
  travelMinutes!: number;
}

@ObjectType({ description: "A page of regions." })
export class RegionConnection extends Connection(Region, "Region") {}
