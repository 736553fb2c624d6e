package dev.canopy.emulator.world;

import java.util.List;

/**
 * A user of Canopy's own platform (second issuer), e.g. a customer's admin in Canopy's UI.
 *
 * @param roles the {@code canopy_roles} claim: {@code admin:<tenantId>}, {@code tag-editor:<tenantId>},
 *     {@code viewer:<tenantId>} or {@code ops}
 */
public record PlatformUser(String username, String password, String displayName, List<String> roles) {
    public PlatformUser {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
