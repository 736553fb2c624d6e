package dev.canopy.emulator.world;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies tag maps keeping their order (ARM returns tags in the order they were written). */
final class Tags {
    private Tags() {
    }

    static Map<String, String> copy(Map<String, String> tags) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
}
