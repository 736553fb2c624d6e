package dev.canopy.emulator.world;

import java.time.Instant;

/** A Partner Admin Link: binds one identity (object id) in one tenant to a partner id. */
public record PartnerLink(String tenantId, String objectId, String partnerId, String partnerName, int version,
                          Instant createdTime, Instant updatedTime) {
}
