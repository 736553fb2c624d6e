package dev.canopy.cost;

import java.util.List;

import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.service.ServiceReadinessContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Boots cost-service on the real broker and its own database and checks what every service promises. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class CostServiceReadinessTest extends ServiceReadinessContract {

    @Override
    protected List<String> expectedTables() {
        return List.of("processed_event", "outbox_event", "spend_day", "spend_fact", "resource_dim", "tag_set",
                "tag_entry", "cost_import");
    }
}
