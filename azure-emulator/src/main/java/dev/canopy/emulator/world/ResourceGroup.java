package dev.canopy.emulator.world;

import java.util.Map;

/**
 * A resource group.
 *
 * @param tags null when the group never had tags (ARM then omits the field), empty once emptied
 */
public record ResourceGroup(String subscriptionId, String name, String location, Map<String, String> tags,
                            String managedBy, String provisioningState) {
    public ResourceGroup {
        tags = tags == null ? null : Tags.copy(tags);
        provisioningState = provisioningState == null ? "Succeeded" : provisioningState;
    }

    public ResourceGroup withTags(Map<String, String> newTags) {
        return new ResourceGroup(subscriptionId, name, location, newTags, managedBy, provisioningState);
    }

    public String id() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + name;
    }
}
