import { ErrorType, ZpError } from "@zp/error";
import { compare } from "../lib/compare.js";

// Creating the error the data path raises on every failed upstream connect,
// beside a plain Error with a code property (what most Node libraries do).
const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });

await compare("error", [
  {
    name: "create with cause + context",
    ours: { name: "@zp/error", fn: () => ZpError.because(ErrorType.ConnectRefused, "connecting", cause).asUpstream() },
    theirs: [
      {
        name: "Error + code",
        fn: () => Object.assign(new Error("connecting", { cause }), { code: "ECONNREFUSED", source: "upstream" }),
      },
    ],
  },
]);
