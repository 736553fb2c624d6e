package dev.canopy.emulator.world;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.events.azure.ArmResourceId;

import java.time.Instant;
import java.util.Map;

/**
 * An ARM resource (GenericResourceExpanded). Name, type, subscription and group derive from {@code id}.
 *
 * @param sku optional ARM sku object, rendered as given
 * @param plan optional ARM plan object, rendered as given
 */
public record Resource(String id, String location, Map<String, String> tags, String kind, JsonNode sku, JsonNode plan,
                       String managedBy, Instant createdTime, Instant changedTime) {
    public Resource {
        ArmResourceId parsed = ArmResourceId.parse(id);
        if (parsed.scopeKind() != ArmResourceId.ScopeKind.RESOURCE || parsed.resourceGroup() == null) {
            throw new IllegalArgumentException("not a resource id inside a resource group: " + id);
        }
        id = parsed.displayId();
        tags = tags == null ? Map.of() : Tags.copy(tags);
        // JSON null arrives as a NullNode; keep "absent" as null so ARM leaves the field out.
        sku = sku == null || sku.isNull() || sku.isMissingNode() ? null : sku;
        plan = plan == null || plan.isNull() || plan.isMissingNode() ? null : plan;
    }

    public Resource withTags(Map<String, String> newTags, Instant now) {
        return new Resource(id, location, newTags, kind, sku, plan, managedBy, createdTime, now);
    }

    @JsonIgnore
    public ArmResourceId armId() {
        return ArmResourceId.parse(id);
    }

    @JsonIgnore
    public String name() {
        return armId().name();
    }

    @JsonIgnore
    public String type() {
        return armId().resourceType();
    }
}
