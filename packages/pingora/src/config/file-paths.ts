import { accessSync, constants } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { ConfPath } from "@zp/runtime";
import type { ConfReader } from "./conf-reader.js";

/**
 * Reads file names of a configuration: relative names are resolved against `baseDir` (the
 * configuration file's directory) and, when `mustExist`, checked readable now, so that
 * `zp -t` reports a missing certificate.
 */
export class FilePaths {
  constructor(
    readonly baseDir: string,
    private readonly mustExist: boolean,
  ) {}

  /** The absolute path, or undefined (reported) when it is not a readable file name. */
  readable(r: ConfReader, value: unknown, path: ConfPath): string | undefined {
    const name = r.string(value, path);
    if (name === undefined) return undefined;
    const file = isAbsolute(name) ? name : resolve(this.baseDir, name);
    if (this.mustExist) {
      try {
        accessSync(file, constants.R_OK);
      } catch (err) {
        r.issue(path, `cannot read ${JSON.stringify(file)} (${(err as { code?: string }).code ?? "error"})`);
        return undefined;
      }
    }
    return file;
  }

  /** An absolute path for a file that will be written (not checked). */
  writable(r: ConfReader, value: unknown, path: ConfPath): string | undefined {
    const name = r.string(value, path);
    if (name === undefined) return undefined;
    return isAbsolute(name) ? name : resolve(this.baseDir, name);
  }
}
