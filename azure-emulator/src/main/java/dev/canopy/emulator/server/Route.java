package dev.canopy.emulator.server;

import java.util.regex.Pattern;

/**
 * One endpoint: HTTP method + path pattern (case-insensitive, on the normalized path) + handler.
 *
 * @param name a stable name used by the request log and to target faults, e.g. {@code arm.resources.list}
 * @param kind which family the route belongs to (decides headers and error shapes)
 */
public record Route(String name, String method, Pattern pattern, Kind kind, Handler handler) {

    /** Route families. */
    public enum Kind { ENTRA, ARM, PLATFORM, CONTROL }

    /** Handles a matched request. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    public static Route of(String name, String method, String regex, Kind kind, Handler handler) {
        return new Route(name, method, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), kind, handler);
    }
}
