package dev.canopy.local;

/** The four Canopy services the local stack runs: module, database and default HTTPS port of each. */
public enum CanopyService {
    CONSENT("consent-service", "consent", 8081),
    COLLECTOR("collector-service", "collector", 8082),
    TAG_SYNC("tag-sync-service", "tag_sync", 8083),
    COST("cost-service", "cost", 8084);

    private final String module;
    private final String databaseSuffix;
    private final int defaultPort;

    CanopyService(String module, String databaseSuffix, int defaultPort) {
        this.module = module;
        this.databaseSuffix = databaseSuffix;
        this.defaultPort = defaultPort;
    }

    /** The Maven module, which is also the name of its process, log and pid. */
    public String module() {
        return module;
    }

    /** Its database: the stack's prefix plus the service's suffix, e.g. {@code canopy_consent} as in its dev profile. */
    public String database(String prefix) {
        return prefix + "_" + databaseSuffix;
    }

    public int defaultPort() {
        return defaultPort;
    }
}
