package dev.canopy.cost.query;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a tag group's value came from. */
public enum TagSource {

    /** The resource has the key itself. */
    RESOURCE("resource"),
    /** The resource does not, its resource group does. */
    RESOURCE_GROUP("resourceGroup"),
    /** Neither has it (or the charge has no resource). */
    NONE("none");

    private final String json;

    TagSource(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    static TagSource fromJson(String value) {
        for (TagSource source : values()) {
            if (source.json.equals(value)) {
                return source;
            }
        }
        throw new IllegalStateException("unknown tag source " + value);
    }
}
