package dev.canopy.tagsync;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.Subscription;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.azure.InjectAzureEmulator;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.ReceivedRecord;
import dev.canopy.testsupport.world.Onboarding;
import io.restassured.http.ContentType;

/**
 * Shared steps of tag-sync's tests: a fresh synthetic world per test with Canopy's principal consented, onboarded
 * through the registry topics, edits sent through the API as a tag editor, and their outcomes read back from
 * canopy.tag-edit-results and the emulator.
 */
abstract class TagSyncTestBase {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String TAGS_ROUTE = "arm.tags.patch";

    @InjectAzureEmulator
    AzureEmulator azure;

    EventTopicClient kafka;
    WorldSpec world;
    String tenantId;
    List<String> subscriptionIds = List.of();
    long seed;

    @BeforeEach
    void freshWorld(TestInfo test) {
        kafka = EventTopicClient.forTestKafka();
        // A seed per test: one test's tenants and resources never meet another's on the shared topics.
        seed = Math.abs((long) (getClass().getName() + "#" + test.getDisplayName()).hashCode());
        azure.limits().configure(LimitSettings.off());
        azure.faults().clear();
    }

    @AfterEach
    void offboard() {
        if (tenantId != null) {
            kafka.publish(new TenantOffboarded(UUID.randomUUID(), Instant.now(), tenantId, subscriptionIds, "test"));
        }
        azure.limits().configure(LimitSettings.off());
        azure.faults().clear();
        kafka.close();
    }

    /** A world of one tenant with the given subscriptions and resources per subscription, loaded into the emulator. */
    WorldSpec generate(int subscriptions, int resources) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        WorldSpec spec = SyntheticWorld.generate(new SyntheticWorld.Parameters(seed, 1, subscriptions, 2, resources, 1,
                today.withDayOfMonth(1), "EUR", true));
        world = spec;
        azure.loadWorld(spec);
        tenantId = spec.subscriptions().get(0).tenantId();
        subscriptionIds = spec.subscriptions().stream().map(Subscription::subscriptionId).toList();
        return spec;
    }

    /** Onboards the world's tenant with one policy for all subscriptions and waits until the API knows them. */
    void onboard(SyncPolicy policy) {
        Onboarding.onboardTenant(kafka, world, tenantId, subscriptionIds.stream().map(s -> policy).toList());
        awaitKnown(subscriptionIds);
    }

    /** Waits until tag-sync's views know the subscriptions (the API answers for their resources). */
    void awaitKnown(List<String> subscriptions) {
        for (String sub : subscriptions) {
            await().atMost(WAIT).until(() -> given().auth().oauth2(editorToken())
                    .get("/resources/subscriptions/{sub}/tags", sub).statusCode() == 200);
        }
    }

    void setPolicy(String subscriptionId, SyncPolicy policy) {
        Onboarding.setPolicy(kafka, tenantId, subscriptionId, policy, null);
    }

    /** The world's resources of a subscription. */
    List<Resource> resources(String subscriptionId) {
        return azure.world().resources(subscriptionId);
    }

    /** Sends an edit as the tenant's tag editor; returns the edit id (202). */
    UUID edit(String resourceId, String operation, Map<String, String> tags) {
        String id = given().auth().oauth2(editorToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", operation, "tags", tags))
                .patch("/resources" + resourceId + "/tags").then().statusCode(202).extract().path("editId");
        return UUID.fromString(id);
    }

    /** The terminal outcome of an edit, as published on canopy.tag-edit-results. */
    TagEditOutcome awaitOutcome(UUID editId) {
        return kafka.awaitRecord(CanopyTopic.TAG_EDIT_RESULTS.topicName(), r -> isOutcomeOf(r, editId), WAIT)
                .event(TagEditOutcome.class);
    }

    /** Every outcome event published for the edit so far (terminal and drift). */
    List<TagEditOutcome> outcomesOf(UUID editId) {
        return kafka.readAll(CanopyTopic.TAG_EDIT_RESULTS.topicName(), Duration.ofSeconds(20)).stream()
                .filter(r -> r.event(TagEditOutcome.class).editId().equals(editId))
                .map(r -> r.event(TagEditOutcome.class)).toList();
    }

    private static boolean isOutcomeOf(ReceivedRecord r, UUID editId) {
        TagEditOutcome outcome = r.event(TagEditOutcome.class);
        return outcome.editId().equals(editId) && outcome.outcome() != TagEditOutcome.Outcome.DRIFT_DETECTED;
    }

    /** The tags Azure holds now at the resource (from the emulator). */
    Map<String, String> azureTags(String resourceId) {
        return azure.world().tagsAt(ArmResourceId.parse(resourceId)).orElseThrow();
    }

    /** Sets tags in the emulator as a person would in the portal. */
    void setInPortal(String resourceId, Map<String, String> tags) {
        azure.world().updateTags(ArmResourceId.parse(resourceId), current -> tags).orElseThrow();
    }

    /** Tags API writes the emulator saw at the resource's scope. */
    List<RequestLog.Entry> tagWritesTo(String resourceId) {
        String path = resourceId.toLowerCase() + "/providers/microsoft.resources/tags/default";
        return azure.requestLog().entries().stream().filter(e -> !e.method().equals("GET"))
                .filter(e -> e.target().toLowerCase().contains(path)).toList();
    }

    /** Publishes a tag snapshot as the collector would after a run. */
    void collected(String resourceId, Map<String, String> tags, Instant observedAt) {
        ArmResourceId id = ArmResourceId.parse(resourceId);
        kafka.publish(new TagSnapshot(UUID.randomUUID(), Instant.now(), tenantId, id.subscriptionId(), id.key(),
                id.displayId(), tags, "fp-" + tags.hashCode(), UUID.randomUUID(), observedAt));
    }

    Optional<Resource> resource(String id) {
        return azure.world().resource(id);
    }

    String editorToken() {
        return azure.tokens().platformToken("editor@test", List.of("tag-editor:" + tenantId), Duration.ofHours(1));
    }

    String viewerToken() {
        return azure.tokens().platformToken("viewer@test", List.of("viewer:" + tenantId), Duration.ofHours(1));
    }
}
