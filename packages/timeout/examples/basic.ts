import {} from "@zp/timeout";
