package dev.canopy.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.canopy.platform.security.PlatformRole;
import dev.canopy.platform.security.TenantRoles;

/** Reading per-tenant roles from the token claim. */
class TenantRolesTest {

    private static final String TENANT_A = "0f8c3a5e-2b1d-4e6f-9a7c-5d3e1b2a4c6f";
    private static final String TENANT_B = "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";

    @Test
    void rolesAreHeldPerTenantAndRankViewerTagEditorAdmin() {
        TenantRoles roles = TenantRoles.parse(List.of("admin:" + TENANT_A, "viewer:" + TENANT_B));

        assertThat(roles.has(TENANT_A, PlatformRole.ADMIN)).isTrue();
        assertThat(roles.has(TENANT_A, PlatformRole.TAG_EDITOR)).isTrue();
        assertThat(roles.has(TENANT_A, PlatformRole.VIEWER)).isTrue();
        assertThat(roles.has(TENANT_B, PlatformRole.VIEWER)).isTrue();
        assertThat(roles.has(TENANT_B, PlatformRole.TAG_EDITOR)).isFalse();
        assertThat(roles.has(TENANT_B, PlatformRole.ADMIN)).isFalse();
        assertThat(roles.tenants()).containsExactlyInAnyOrder(TENANT_A, TENANT_B);
    }

    @Test
    void aRoleInOneTenantGivesNothingInAnother() {
        TenantRoles roles = TenantRoles.parse(List.of("admin:" + TENANT_A));

        assertThat(roles.canRead(TENANT_B)).isFalse();
        assertThat(roles.has(TENANT_B, PlatformRole.VIEWER)).isFalse();
    }

    @Test
    void opsReadsEveryTenantButHoldsNoPerTenantRole() {
        TenantRoles roles = TenantRoles.parse(List.of("ops"));

        assertThat(roles.isOps()).isTrue();
        assertThat(roles.canRead(TENANT_A)).isTrue();
        assertThat(roles.has(TENANT_A, PlatformRole.VIEWER)).isFalse();
        assertThat(roles.has(TENANT_A, PlatformRole.OPS)).isFalse();
    }

    @Test
    void tenantIdsCompareCaseInsensitively() {
        TenantRoles roles = TenantRoles.parse(List.of("tag-editor:" + TENANT_A.toUpperCase()));

        assertThat(roles.has(TENANT_A, PlatformRole.TAG_EDITOR)).isTrue();
    }

    @Test
    void unknownMalformedAndMissingEntriesGiveNoAccess() {
        TenantRoles roles = TenantRoles.parse(Arrays.asList("owner:" + TENANT_A, "admin:", "ops:" + TENANT_A,
                null, "superuser"));

        assertThat(roles.tenants()).isEmpty();
        assertThat(roles.isOps()).isFalse();
        assertThat(TenantRoles.parse(null).canRead(TENANT_A)).isFalse();
    }
}
