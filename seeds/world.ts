export type { RegionSeed, WorldSeed } from "../src/app/setup/world.js";
