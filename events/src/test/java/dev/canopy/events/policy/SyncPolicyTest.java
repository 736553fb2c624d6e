package dev.canopy.events.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SyncPolicyTest {

    /** DESIGN.md's table, row by row: resources collected, tags collected, platform edits accepted, written to Azure. */
    @ParameterizedTest
    @CsvSource({
            "NO_RESOURCES,    false, false, false, false",
            "NO_TAGS,         true,  false, false, false",
            "READ_TAGS_ONLY,  true,  true,  true,  false",
            "READ_WRITE_TAGS, true,  true,  true,  true"})
    void permissionsAreDesignsTable(SyncPolicy policy, boolean resources, boolean tags, boolean edits, boolean writes) {
        assertThat(policy.collectsResources()).isEqualTo(resources);
        assertThat(policy.collectsTags()).isEqualTo(tags);
        assertThat(policy.acceptsPlatformEdits()).isEqualTo(edits);
        assertThat(policy.writesToAzure()).isEqualTo(writes);
        assertThat(SyncPolicy.mayWriteToAzure(policy)).isEqualTo(writes);
    }

    @Test
    void theDefaultIsReadWriteTags() {
        assertThat(SyncPolicy.DEFAULT).isEqualTo(SyncPolicy.READ_WRITE_TAGS);
        assertThat(SyncPolicy.values()).hasSize(4);
    }

    @Test
    void aPolicyNotSeenMeansWriteNothing() {
        assertThat(SyncPolicy.mayWriteToAzure(null)).isFalse();
    }
}
