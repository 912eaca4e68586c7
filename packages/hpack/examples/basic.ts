import { Decoder, Encoder, HpackError } from "@zp/hpack";

// One encoder and one decoder per connection direction; both keep a dynamic table.
const encoder = new Encoder();
const decoder = new Decoder({ maxHeaderListSize: 16 * 1024 });

const request = [
  [":method", "GET"],
  [":scheme", "https"],
  [":authority", "example.com"],
  [":path", "/index.html"],
  ["user-agent", "zingora-example/1.0"],
  ["authorization", "Bearer secret-token"], // sent never-indexed automatically
  ["x-trace-id", "4bf92f3577b34da6", true], // marked sensitive for this call
] as const;

const first = encoder.encode(request);
const second = encoder.encode(request); // repeated fields are now table indices
console.log(`first block ${first.length} bytes, second ${second.length} bytes`);

const sensitive: boolean[] = [];
console.log(decoder.decode(first, sensitive));
console.log(decoder.decode(second));
console.log("never-indexed:", sensitive.flatMap((s, i) => (s ? [request[i]![0]] : [])));

// The peer lowered SETTINGS_HEADER_TABLE_SIZE: the next block carries the size update.
encoder.setMaxTableSize(1024);
decoder.setMaxTableSize(1024);
console.log(decoder.decode(encoder.encode([[":status", "200"]])), "table size", decoder.tableSize);

// A malformed block: index 0 does not exist.
try {
  decoder.decode(Uint8Array.of(0x80));
} catch (err) {
  if (err instanceof HpackError) console.log(err.code, "compression error:", err.compressionError);
}
