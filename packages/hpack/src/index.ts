export { Decoder, type DecoderOptions } from "./decoder.js";
export { Encoder, type EncoderOptions, type HuffmanMode } from "./encoder.js";
export { H2_COMPRESSION_ERROR, HpackError, type HpackErrorCode } from "./hpack-error.js";
export { decodeInteger, encodeInteger } from "./integer.js";
export { huffmanEncode, huffmanEncodedLength } from "./huffman-encode.js";
export { huffmanDecode } from "./huffman-decode.js";
export { STATIC_TABLE } from "./static-table.js";
export { isValidFieldName, isValidFieldValue } from "./header-validation.js";
export type { HeaderInput, HeaderPair } from "./types.js";
