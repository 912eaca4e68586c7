import {} from "@zp/http";
