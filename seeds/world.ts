export type { WorldSeed } from "../src/app/setup/world.js";
