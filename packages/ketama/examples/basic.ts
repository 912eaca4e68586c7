import {} from "@zp/ketama";
