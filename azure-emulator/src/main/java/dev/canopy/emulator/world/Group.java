package dev.canopy.emulator.world;

import java.util.List;

/** A security group; role assignments to it apply to its members (transitively, for nested groups). */
public record Group(String objectId, String tenantId, String displayName, List<String> members) {
    public Group {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
