package dev.canopy.emulator.faults;

/**
 * Faults injected on the routes whose name matches {@code route} ({@code *} matches any characters, e.g.
 * {@code arm.*} or {@code arm.tags.patch}).
 *
 * @param errorRate share (0..1) of requests answered with {@code errorStatus} (500 or 503) instead of being handled
 * @param latencyMillis delay added before every matching request is handled
 * @param dropRate share (0..1) of requests whose connection is closed without an answer
 * @param asyncTagWrites tag writes answer 202 + Location; SUCCEED applies them and the status URL answers 200,
 *     FAIL does not apply them and the status URL answers 500
 */
public record FaultRule(String route, double errorRate, int errorStatus, long latencyMillis, double dropRate,
                        AsyncTagWrites asyncTagWrites) {

    /** How tag writes behave under this rule. */
    public enum AsyncTagWrites { NONE, SUCCEED, FAIL }

    public FaultRule {
        errorStatus = errorStatus == 0 ? 500 : errorStatus;
        asyncTagWrites = asyncTagWrites == null ? AsyncTagWrites.NONE : asyncTagWrites;
    }

    /** @return whether this rule applies to the route named {@code routeName} */
    public boolean matches(String routeName) {
        return routeName != null && routeName.matches("(?i)" + ("\\Q" + route + "\\E").replace("*", "\\E.*\\Q"));
    }
}
