export { Server } from "./server.js";
export { serverFromArgs, type ServerFromArgsOptions } from "./server-from-args.js";
export type { ServerOptions, ReadyInfo, ShutdownKind } from "./server-options.js";
export type {
  Service,
  ServiceContext,
  StopOptions,
  ListenerSpec,
  TcpListenerSpec,
  UnixListenerSpec,
  BoundAddress,
  ProcessRole,
} from "./service.js";
export type { RestartBackoffOptions } from "./lifecycle/restart-backoff.js";
export { UpgradeFailed } from "./lifecycle/start-successor.js";
export { type ServerConf, DEFAULT_SERVER_CONF, defaultServerConf } from "./conf/server-conf.js";
export { loadServerConf, parseServerConf } from "./conf/load-server-conf.js";
export { validateServerConf } from "./conf/validate-server-conf.js";
export type {
  ConfExtension,
  ConfExtensionContext,
  ConfExtensions,
  ExtensionValues,
  LoadedServerConf,
  ServerConfOptions,
} from "./conf/conf-extension.js";
export { ServerConfError, type ConfIssue, type ServerConfErrorCode } from "./conf/server-conf-error.js";
export { type ConfPath, describeValue, formatConfPath } from "./conf/conf-path.js";
export { didYouMean } from "./conf/did-you-mean.js";
export { parseServerArgs } from "./args/parse-server-args.js";
export { type ServerArgs, SERVER_USAGE } from "./args/server-args.js";
export { ServerArgsError } from "./args/server-args-error.js";
export { ErrorLog, type LogLevel } from "./process/error-log.js";
export { readPidFile } from "./process/pid-file.js";
