import {} from "@zp/tinyufo";
