package dev.canopy.emulator.world;

/**
 * A user of an Entra tenant who can sign in on the authorize page.
 *
 * @param admin whether the user is a Global Administrator (may grant tenant-wide admin consent)
 */
public record User(String objectId, String tenantId, String userPrincipalName, String displayName, String password,
                   boolean admin) {
}
