package cn.chuanyu.client;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

final class Pages {

    private Pages() {
    }

    static <T> Page<T> of(Transport.Response response, Class<T> type) {
        JsonNode body = response.json();
        List<T> items = new ArrayList<>();
        for (JsonNode item : body.path("items")) {
            items.add(Json.MAPPER.treeToValue(item, type));
        }
        JsonNode next = body.get("nextCursor");
        return new Page<>(List.copyOf(items), next == null || next.isNull() ? null : next.asString());
    }
}
