package dev.canopy.events.topic;

/** Kafka's {@code cleanup.policy}: what a topic keeps. */
public enum CleanupPolicy {

    /** Keep the latest record per key; a null value (tombstone) eventually removes the key. */
    COMPACT("compact"),
    /** Keep records for the retention time, whatever their key. */
    DELETE("delete");

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** @return the value of Kafka's {@code cleanup.policy} config */
    public String configValue() {
        return configValue;
    }
}
