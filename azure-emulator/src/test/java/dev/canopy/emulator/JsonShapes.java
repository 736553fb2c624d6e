package dev.canopy.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.emulator.server.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

/** Field-by-field structure of JSON bodies ("path:type"), to compare the emulator's answers with Azure's samples. */
final class JsonShapes {

    private JsonShapes() {
    }

    /**
     * @return every field path with its JSON type; array elements share the path {@code []}. Data-dependent parts are
     *     not structure: the names inside a {@code tags} map and the elements of arrays of plain values.
     */
    static Set<String> of(JsonNode node) {
        Set<String> paths = new TreeSet<>();
        walk(node, "$", paths);
        return paths;
    }

    private static void walk(JsonNode node, String path, Set<String> out) {
        if (node.isObject()) {
            out.add(path + ":object");
            if (!path.endsWith(".tags")) {
                node.fields().forEachRemaining(e -> walk(e.getValue(), path + "." + e.getKey(), out));
            }
        } else if (node.isArray()) {
            out.add(path + ":array");
            node.forEach(child -> {
                if (child.isContainerNode()) {
                    walk(child, path + "[]", out);
                }
            });
        } else if (!node.isNull()) {
            out.add(path + ":" + (node.isNumber() ? "number" : node.isBoolean() ? "boolean" : "string"));
        }
    }

    static JsonNode sample(String name) {
        try (InputStream in = JsonShapes.class.getResourceAsStream("/azure-samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing sample " + name);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
