import {} from "@zp/hpack";
