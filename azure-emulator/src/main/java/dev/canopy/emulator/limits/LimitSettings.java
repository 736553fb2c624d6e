package dev.canopy.emulator.limits;

/**
 * The throttling configuration. Defaults are Azure's (AZURE-CONTRACTS §3.1, §3.4).
 *
 * @param enabled false turns every limit off (headers still show full buckets)
 * @param costPerScopePerMinute Cost Management per-scope limit (4/min reported by Microsoft's tooling)
 */
public record LimitSettings(boolean enabled, int readCapacity, double readRefillPerSecond, int writeCapacity,
                            double writeRefillPerSecond, int deleteCapacity, double deleteRefillPerSecond,
                            int costPer10Seconds, int costPerMinute, int costPerHour, int costPerScopePerMinute) {

    /** Azure's limits. */
    public static LimitSettings azure() {
        return new LimitSettings(true, 250, 25, 200, 10, 200, 10, 12, 60, 600, 4);
    }

    /** No throttling. */
    public static LimitSettings off() {
        return new LimitSettings(false, 250, 25, 200, 10, 200, 10, 12, 60, 600, 4);
    }
}
