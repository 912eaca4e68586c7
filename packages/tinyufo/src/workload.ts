export { SeededRandom } from "./seeded-random.js";
export { ZipfSampler } from "./zipf.js";
