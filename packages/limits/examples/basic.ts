import {} from "@zp/limits";
