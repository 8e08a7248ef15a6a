package dev.lacquer.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;

/** An ordered map from key, value, key, value... (Map.of stops at ten pairs and does not keep the order). */
public final class Maps {

    private Maps() {
    }

    public static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
        }
        return map;
    }
}
