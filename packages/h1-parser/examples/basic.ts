import {} from "@zp/h1-parser";
