import { packageConfig } from "../../vitest.shared.js";

export default packageConfig("@zp/h1-parser");
