package dev.canopy.emulator.world;

import dev.canopy.emulator.server.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes worlds as JSON files (the {@link WorldSpec} format). */
public final class WorldFiles {

    private WorldFiles() {
    }

    public static WorldSpec read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read world " + file, e);
        }
    }

    public static WorldSpec read(InputStream in) {
        try {
            return Json.MAPPER.readValue(in, WorldSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse world JSON", e);
        }
    }

    public static WorldSpec read(byte[] json) {
        try {
            return Json.MAPPER.readValue(json, WorldSpec.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot parse world JSON: " + e.getMessage(), e);
        }
    }

    public static void write(WorldSpec spec, Path file) {
        try {
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write world " + file, e);
        }
    }
}
