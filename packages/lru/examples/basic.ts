import {} from "@zp/lru";
