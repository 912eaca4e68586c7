export { TinyUfo, type Evicted, type QueueName, type TinyUfoOptions } from "./tiny-ufo.js";
export { TinyUfoRangeError, MAX_ITEM_WEIGHT } from "./errors.js";
export { hashKey, type CacheKey } from "./hash-key.js";
export { CountMinSketch, sketchDimensions, type SketchDimensions } from "./count-min-sketch.js";
export { TinyLfu } from "./tiny-lfu.js";
