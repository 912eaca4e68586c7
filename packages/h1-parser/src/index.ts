export { H1Parser, type H1Mode } from "./parser.js";
export { H1Head } from "./head.js";
export { FieldsView } from "./fields.js";
export { BodyKind } from "./body-kind.js";
export { ParseError, ParseErrorCode } from "./parse-error.js";
export type { H1Handler, H1ParserOptions } from "./options.js";
export { METHODS } from "./methods.js";
