export type { BodySink } from "@zp/http";
