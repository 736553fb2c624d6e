package dev.canopy.platform.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * A Canopy platform role. {@code viewer}, {@code tag-editor} and {@code admin} are held per customer tenant and
 * rank in that order (an admin may do what a tag editor may, a tag editor what a viewer may); {@code ops} reads
 * every tenant and changes none.
 */
public enum PlatformRole {

    /** Reads one tenant's data. */
    VIEWER("viewer", 1),
    /** Reads one tenant's data and edits its tags. */
    TAG_EDITOR("tag-editor", 2),
    /** Everything in one tenant, including onboarding and sync policies. */
    ADMIN("admin", 3),
    /** Reads every tenant (ops dashboards); never changes anything. */
    OPS("ops", 0);

    private final String claimName;
    private final int rank;

    PlatformRole(String claimName, int rank) {
        this.claimName = claimName;
        this.rank = rank;
    }

    /** The role's name in the token claim, e.g. {@code tag-editor}. */
    public String claimName() {
        return claimName;
    }

    /** True if holding this per-tenant role allows what {@code required} allows. */
    public boolean satisfies(PlatformRole required) {
        return this != OPS && required != OPS && rank >= required.rank;
    }

    /** The role with that claim name, if any. */
    public static Optional<PlatformRole> fromClaimName(String name) {
        return Arrays.stream(values()).filter(role -> role.claimName.equals(name)).findFirst();
    }
}
