package dev.canopy.tagsync;

import java.util.List;

import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.service.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Boots tag-sync-service on the real broker and its own database and checks what every service promises. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class TagSyncServiceReadinessTest extends ServiceReadinessContract {

    @Override
    protected List<String> expectedTables() {
        return List.of("processed_event", "outbox_event", "view_position", "subscription_policy", "known_tenant",
                "known_subscription", "collected_tag_set", "tag_edit", "platform_tag", "written_tag");
    }
}
