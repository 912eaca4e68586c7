export { CloseCode, Opcode, ReadyState, WEBSOCKET_GUID, isValidCloseCode } from "./constants.js";
export { WebSocketError, type WebSocketErrorCode } from "./websocket-error.js";
export { WebSocket, type SendOptions, type WebSocketData, type WebSocketEvents, type WebSocketOptions } from "./websocket.js";
export {
  WebSocketServer,
  type UpgradeRequest,
  type WebSocketServerEvents,
  type WebSocketServerOptions,
} from "./websocket-server.js";
export { connect, type ConnectOptions } from "./connect.js";
export { Receiver, type ReceiverLimits, type ReceiverSink } from "./receiver.js";
export { Sender } from "./sender.js";
export {
  acceptKey,
  buildClientRequest,
  generateKey,
  negotiateServer,
  refusalResponse,
  validateServerResponse,
  type AcceptedHandshake,
  type ClientHandshakeOptions,
  type ProtocolSelector,
  type RefusedHandshake,
  type ServerHandshakeOptions,
} from "./handshake.js";
export { headerLookup, type HeaderLookup, type HeaderSource } from "./header-source.js";
export { parseExtensions, formatExtensions, type ExtensionOffer } from "./extension-header.js";
export {
  PERMESSAGE_DEFLATE,
  PerMessageDeflate,
  acceptOffer,
  acceptResponse,
  clientOffer,
  type DeflateParams,
  type PerMessageDeflateOptions,
} from "./permessage-deflate.js";
export { Utf8Validator } from "./utf8-validator.js";
export { applyMask } from "./mask.js";
