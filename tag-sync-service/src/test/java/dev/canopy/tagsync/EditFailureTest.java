package dev.canopy.tagsync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.TagEditRequested;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.tagsync.service.EditOutcomes;
import dev.canopy.tagsync.service.EditProcessor;
import dev.canopy.tagsync.service.PlatformTags;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.db.TestDatabase;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.mockito.InjectSpy;

/**
 * Edits whose processing goes wrong: a database outage mid-write is waited out and the edit still gets its one
 * outcome; a failure retrying cannot cure ends the edit FAILED and dead-letters it while the partition goes on; and a
 * second copy of the writer taking an edit over (as after a rebalance) waits for the write in flight, so the edit is
 * written once and one resource's edits stay in order.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class EditFailureTest extends TagSyncTestBase {

    private static final String TAGS_PATCH = "arm.tags.patch";
    private static final Set<String> RETRIED_METHODS = Set.of(EditProcessor.class.getName() + ".process",
            EditOutcomes.class.getName() + ".finishAttempt");

    @InjectSpy
    PlatformTags platformTags;

    @Inject
    EditProcessor processor;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void aDatabaseOutageWhileAWriteIsInFlightIsWaitedOutAndTheEditIsAppliedOnce() {
        generate(1, 2);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        azure.faults().add(new FaultRule(TAGS_PATCH, 0, 0, 1500, 0, null));
        UUID editId = edit(vm, "merge", Map.of("outage", "survived"));
        await().atMost(WAIT).until(() -> "WRITING".equals(stateOf(editId)));
        double retriesBefore = retries();

        try (TestDatabase.Outage outage = TestDatabase.ofUrl(jdbcUrl).outage()) {
            // Whether the PATCH was in flight (its outcome cannot be recorded) or about to leave (its row cannot be
            // locked), the processing fails and is retried while the database is away.
            await().atMost(WAIT).until(() -> retries() >= retriesBefore + 2);
        }

        TagEditOutcome outcome = awaitOutcome(editId);
        assertThat(outcome.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(azureTags(vm)).containsEntry("outage", "survived");
        assertThat(tagWritesTo(vm)).hasSize(1);
        assertThat(outcomesOf(editId)).hasSize(1);
        // The API's first connections after the outage may be ones the database closed; the pool replaces them.
        await().atMost(WAIT).ignoreExceptions().until(() -> "DONE".equals(stateOf(editId)));
    }

    @Test
    void aFailureRetryingCannotCureEndsTheEditFailedAndDeadLettersItAndTheNextEditGoesOn() {
        generate(1, 2);
        onboard(SyncPolicy.READ_TAGS_ONLY);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        doThrow(new IllegalStateException("simulated defect")).when(platformTags)
                .apply(argThat(edit -> edit.tags.containsKey("poison")));

        UUID poisoned = edit(vm, "merge", Map.of("poison", "1"));
        UUID next = edit(vm, "merge", Map.of("fine", "1"));

        TagEditOutcome failed = awaitOutcome(poisoned);
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.reason()).contains("simulated defect").contains("nothing was written");
        assertThat(awaitOutcome(next).outcome()).isEqualTo(Outcome.KEPT_IN_PLATFORM);
        ReceivedRecord dead = kafka.awaitRecord(CanopyTopic.TAG_EDITS.dlqName(),
                r -> r.key().equals(ArmResourceId.parse(vm).key()), WAIT);
        assertThat(dead.headers().get("dead-letter-reason")).contains("simulated defect");
        assertThat(stateOf(poisoned)).isEqualTo("DONE");
        assertThat(outcomesOf(poisoned)).hasSize(1);
    }

    @Test
    void aCopyTakingOverAnEditInFlightWaitsForItSoTheEditIsWrittenOnceAndLaterEditsStayInOrder() {
        generate(1, 2);
        onboard(SyncPolicy.READ_WRITE_TAGS);
        String vm = resources(subscriptionIds.get(0)).get(0).id();
        azure.faults().add(new FaultRule(TAGS_PATCH, 0, 0, 1500, 0, null));
        UUID first = edit(vm, "merge", Map.of("k", "1"));
        await().atMost(WAIT).until(() -> "WRITING".equals(stateOf(first)));

        // This thread is the second copy: the first edit redelivered to it while the first copy writes it, then the
        // resource's next edit.
        processor.process(requested(first, vm, Map.of("k", "1")));
        UUID second = UUID.randomUUID();
        processor.process(requested(second, vm, Map.of("k", "2")));
        // A third edit through the API queues behind the first on the first copy: once decided, the first copy is done.
        assertThat(awaitOutcome(edit(vm, "merge", Map.of("other", "x"))).outcome()).isEqualTo(Outcome.APPLIED);

        assertThat(outcomesOf(first)).hasSize(1).allSatisfy(o -> assertThat(o.outcome()).isEqualTo(Outcome.APPLIED));
        assertThat(awaitOutcome(second).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(tagWritesTo(vm)).as("one PATCH per edit").hasSize(3);
        assertThat(azureTags(vm)).containsEntry("k", "2").containsEntry("other", "x");
    }

    private TagEditRequested requested(UUID editId, String resourceId, Map<String, String> tags) {
        ArmResourceId id = ArmResourceId.parse(resourceId);
        return new TagEditRequested(UUID.randomUUID(), Instant.now(), editId, null, tenantId, id.subscriptionId(),
                id.key(), id.displayId(), TagOperation.MERGE, tags, "editor@test");
    }

    private String stateOf(UUID editId) {
        return given().auth().oauth2(viewerToken()).get("/tag-edits/{id}", editId).then().statusCode(200)
                .extract().path("state");
    }

    // SmallRye Fault Tolerance's count of retries of the writer's processing.
    // Retries of the edit's processing, and of recording its outcome once the PATCH is sent (a retry of its own, so a
    // write that went out is never sent again): which of the two waits out the outage depends on where it hits.
    private double retries() {
        return Search.in(metrics).name("ft.retry.retries.total")
                .tagKeys("method").counters().stream()
                .filter(c -> RETRIED_METHODS.contains(c.getId().getTag("method")))
                .mapToDouble(c -> c.count()).sum();
    }
}
