package dev.canopy.tagsync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.assertj.core.api.SoftAssertions;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagEditOutcome.Outcome;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.process.ServiceEnvironment;
import dev.canopy.testsupport.process.ServiceProcess;
import dev.canopy.testsupport.world.Onboarding;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * tag-sync-service (the packaged app, a process of its own) killed with SIGKILL in the middle of a bulk edit, between
 * a Tags API write Azure took and the edit's outcome, then started again on the same database and broker: every edit
 * of the batch ends with exactly one terminal outcome, APPLIED, Azure holds the tags on every resource, and no resource
 * was written twice — the edit whose write went through is redelivered, finds the tags in Azure and sends nothing.
 * And stopped gracefully (SIGTERM) instead: the same, with nothing dead-lettered on the way down.
 */
class WriterRestartIT {

    private static final Logger LOG = Logger.getLogger(WriterRestartIT.class);
    private static final Path TARGET = ServiceProcess.targetDirOf(WriterRestartIT.class);
    private static final int RESOURCES = 300;
    private static final Map<String, String> TAGS = Map.of("campaign", "restart");
    // Each PATCH is held this long by the emulator until the kill: it paces the batch, so a quarter of it is out
    // long before the end however fast the machine is.
    private static final long PATCH_LATENCY_MILLIS = 100;
    /** How recent Azure's 202 must be for its writer to be surely still waiting out the second of Retry-After. */
    private static final Duration FRESH = Duration.ofMillis(500);
    // A killed consumer stays in the writer's group until its session times out (Kafka's default 45 s), and the
    // partitions it held wait that long for a new owner. Shorter here, so the restart is not mostly waiting.
    private static final Map<String, String> CONFIG = Map.of(
            "mp.messaging.incoming.edits-in.session.timeout.ms", "6000",
            "mp.messaging.incoming.edits-in.heartbeat.interval.ms", "2000");
    private static final String HEAP = "384m";
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration BATCH = Duration.ofSeconds(120);
    private static final String TAGS_GET = "arm.tags.get";
    private static final String TAGS_PATCH = "arm.tags.patch";

    /** The first instance running a bulk edit of every resource of the world's one subscription. */
    private record RunningBatch(ServiceProcess first, String token, UUID batch, Set<UUID> editIds,
            List<String> resourceIds) {
    }

    @Test
    void afterTheWriterIsKilledMidBatchEveryEditHasOneOutcomeAndEachResourceWasWrittenOnce() {
        Path logs = TARGET.resolve("tag-sync-instances").resolve("killed");
        try (ServiceEnvironment env = ServiceEnvironment.start("tag-sync-service", logs, LimitSettings.off())) {
            RunningBatch run = startBatch(env);
            ServiceProcess first = run.first();
            String token = run.token();
            UUID batch = run.batch();
            Set<UUID> editIds = run.editIds();
            List<String> resourceIds = run.resourceIds();

            // A quarter of the outcomes out: from now on Azure takes each tag write at once but answers 202 with a
            // one-second Retry-After, so a writer waits that second between a write that went through and its
            // outcome. Killed in that second, it leaves the edit WRITING with Azure already holding the tags.
            env.azure().faults().add(new FaultRule(TAGS_PATCH, 0, 0, 0, 0, FaultRule.AsyncTagWrites.SUCCEED));
            Set<UUID> caught = new HashSet<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        caught.addAll(takenWhileWriting(env, first, token, batch));
                        return !caught.isEmpty();
                    });
            first.kill();
            int decidedBeforeKill = decided(env, batch).size();
            // The rest of the batch without 202s and without the pacing latency.
            env.azure().faults().clear();

            ServiceProcess second = env.launch("second", ServiceProcess.appJar(TARGET, "tag-sync-service"), CONFIG,
                    HEAP).awaitReady(READY);
            // Each look reads the whole results topic: not too often, the instance shares the machine's cores.
            await().atMost(BATCH).pollInterval(Duration.ofSeconds(1))
                    .until(() -> decided(env, batch).keySet().containsAll(editIds));

            List<TagEditOutcome> events = outcomeEvents(env, batch);
            assertOneOutcomeEach(events, editIds);
            assertEachResourceWrittenOnce(env, resourceIds);
            api(second, token).queryParam("batch", batch).queryParam("state", "open").get("/tag-edits").then()
                    .statusCode(200).body("items", hasSize(0));

            // The case this test is about happened: each edit caught between Azure's 202 and its outcome was
            // redelivered, found Azure holding the tags and was decided from that, sending nothing and without being
            // judged again by the policy (with the checks above: written once).
            Map<UUID, Map<String, Object>> trail = api(second, token).queryParam("batch", batch)
                    .queryParam("limit", RESOURCES).get("/tag-edits").then().statusCode(200).extract().jsonPath()
                    .<Map<String, Object>>getList("items").stream()
                    .collect(Collectors.toMap(e -> UUID.fromString((String) e.get("editId")), Function.identity()));
            SoftAssertions soft = new SoftAssertions();
            for (UUID editId : caught) {
                Map<String, Object> edit = trail.get(editId);
                soft.assertThat(edit.get("attempts")).as("write attempts of edit %s", editId).isEqualTo(1);
                soft.assertThat(edit.get("azureRequest")).as("request the restart sent for edit %s", editId).isNull();
                soft.assertThat((String) edit.get("reason")).as("reason of edit %s", editId)
                        .contains("an earlier attempt").contains("Azure holds the tags");
            }
            soft.assertAll();
            LOG.infof("killed with %d of %d outcomes published and %d edit(s) between Azure's 202 and their outcome; "
                            + "%d outcome events read, %d of them resent copies",
                    decidedBeforeKill, RESOURCES, caught.size(), events.size(), events.size() - events.stream().map(TagEditOutcome::eventId).distinct().count());
        }
    }

    /**
     * A world of {@link #RESOURCES} resources, the first instance ready and onboarded, each PATCH slowed, and a bulk
     * edit of every resource accepted — until a quarter of its outcomes is out.
     */
    private static RunningBatch startBatch(ServiceEnvironment env) {
        WorldSpec world = SyntheticWorld.generate(new SyntheticWorld.Parameters(606, 1, 1, 3, RESOURCES, 1,
                LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1), "EUR", true));
        env.azure().loadWorld(world);
        String tenantId = world.subscriptions().get(0).tenantId();
        String subscriptionId = world.subscriptions().get(0).subscriptionId();
        String token = env.azure().tokens().platformToken("editor@test", List.of("tag-editor:" + tenantId),
                Duration.ofHours(1));
        ServiceProcess first = env.launch("first", ServiceProcess.appJar(TARGET, "tag-sync-service"), CONFIG, HEAP)
                .awaitReady(READY);
        Onboarding.onboardAll(env.kafka(), world, SyncPolicy.READ_WRITE_TAGS);
        await().atMost(Duration.ofSeconds(60)).until(() -> api(first, token)
                .get("/resources/subscriptions/{sub}/tags", subscriptionId).statusCode() == 200);
        env.azure().faults().add(new FaultRule(TAGS_PATCH, 0, 0, PATCH_LATENCY_MILLIS, 0, null));

        List<String> resourceIds = env.azure().world().resources(subscriptionId).stream().map(Resource::id).toList();
        assertThat(resourceIds).hasSize(RESOURCES);
        Response accepted = api(first, token).contentType(ContentType.JSON)
                .body(Map.of("operation", "merge", "tags", TAGS, "resourceIds", resourceIds))
                .post("/tag-edits/bulk");
        accepted.then().statusCode(202);
        UUID batch = UUID.fromString(accepted.path("batchId"));
        Set<UUID> editIds = accepted.jsonPath().getList("accepted.editId", String.class).stream()
                .map(UUID::fromString).collect(Collectors.toSet());
        assertThat(editIds).hasSize(RESOURCES);
        await().atMost(BATCH).pollInterval(Duration.ofMillis(200)).until(() -> {
            int decided = decided(env, batch).size();
            if (decided == RESOURCES) {
                throw new IllegalStateException("the batch ended before the writer could be stopped in the middle");
            }
            return decided >= RESOURCES / 4;
        });
        return new RunningBatch(first, token, batch, editIds, resourceIds);
    }

    /**
     * Stopped as a deployment stops it (SIGTERM) in the middle of the batch, the writer leaves what it was doing for
     * the next instance: nothing is dead-lettered or marked FAILED on the way down, and every edit still ends APPLIED
     * with one write per resource.
     */
    @Test
    void aWriterStoppedGracefullyMidBatchDeadLettersNothingAndTheNextInstanceFinishesTheBatch() {
        Path logs = TARGET.resolve("tag-sync-instances").resolve("stopped");
        try (ServiceEnvironment env = ServiceEnvironment.start("tag-sync-service", logs, LimitSettings.off())) {
            RunningBatch run = startBatch(env);
            run.first().close();
            assertThat(run.first().isAlive()).isFalse();
            env.azure().faults().clear();

            ServiceProcess second = env.launch("second", ServiceProcess.appJar(TARGET, "tag-sync-service"), CONFIG,
                    HEAP).awaitReady(READY);
            await().atMost(BATCH).pollInterval(Duration.ofSeconds(1))
                    .until(() -> decided(env, run.batch()).keySet().containsAll(run.editIds()));

            assertOneOutcomeEach(outcomeEvents(env, run.batch()), run.editIds());
            assertEachResourceWrittenOnce(env, run.resourceIds());
            assertThat(env.kafka().readAll(CanopyTopic.TAG_EDITS.dlqName(), Duration.ofSeconds(10)))
                    .as("edits dead-lettered").isEmpty();
            assertThat(run.first().logLines()).as("the first instance's log").noneMatch(l -> l.contains("TAGSYNC-EDIT-001"));
            assertThat(second.isAlive()).isTrue();
        }
    }

    private static RequestSpecification api(ServiceProcess instance, String token) {
        return given().baseUri(instance.baseUrl()).auth().oauth2(token);
    }

    /** The batch's outcome events on canopy.tag-edit-results (terminal ones; a resent event appears twice). */
    private static List<TagEditOutcome> outcomeEvents(ServiceEnvironment env, UUID batch) {
        return env.kafka().readAll(CanopyTopic.TAG_EDIT_RESULTS.topicName(), Duration.ofSeconds(20)).stream()
                .map(r -> r.event(TagEditOutcome.class))
                .filter(o -> batch.equals(o.batchId()) && o.outcome() != Outcome.DRIFT_DETECTED).toList();
    }

    /** Edit id → an outcome event of it, for the edits of the batch with one published so far. */
    private static Map<UUID, TagEditOutcome> decided(ServiceEnvironment env, UUID batch) {
        return outcomeEvents(env, batch).stream()
                .collect(Collectors.toMap(TagEditOutcome::editId, Function.identity(), (a, b) -> a));
    }

    /**
     * Edits of the batch the instance has WRITING whose PATCH Azure answered 202 less than {@link #FRESH} ago: their
     * writer is still waiting out the 202's one-second Retry-After, and stays in that wait for a while yet.
     */
    private static Set<UUID> takenWhileWriting(ServiceEnvironment env, ServiceProcess instance, String token,
            UUID batch) {
        Map<String, Instant> acceptedAt = new HashMap<>();
        for (RequestLog.Entry entry : env.azure().requestLog().entries()) {
            if (TAGS_PATCH.equals(entry.route()) && entry.status() == 202) {
                acceptedAt.put(tagScope(entry.target()), entry.time());
            }
        }
        if (acceptedAt.isEmpty()) {
            return Set.of();
        }
        List<Map<String, Object>> open = api(instance, token).queryParam("batch", batch).queryParam("state", "open")
                .queryParam("limit", RESOURCES).get("/tag-edits").then().statusCode(200).extract().jsonPath()
                .getList("items");
        // Measured after the API answered: the kill follows at once, well within the writer's second of waiting.
        Instant now = Instant.now();
        Set<UUID> caught = new HashSet<>();
        for (Map<String, Object> edit : open) {
            Instant accepted = acceptedAt.get((String) edit.get("resourceId"));
            if ("WRITING".equals(edit.get("state")) && accepted != null
                    && Duration.between(accepted, now).compareTo(FRESH) < 0) {
                caught.add(UUID.fromString((String) edit.get("editId")));
            }
        }
        return caught;
    }

    /** The resource a Tags API request was for, normalized as tag-sync's resource ids are. */
    private static String tagScope(String target) {
        String path = target.toLowerCase(Locale.ROOT);
        return path.substring(0, path.indexOf("/providers/microsoft.resources/tags/default"));
    }

    /**
     * Exactly one terminal outcome per edit, APPLIED. The outbox may publish an event again after a crash (the same
     * event id, the same content): copies count once. Two events with different ids would be two decisions.
     */
    private static void assertOneOutcomeEach(List<TagEditOutcome> events, Set<UUID> editIds) {
        Map<UUID, List<TagEditOutcome>> copiesByEvent = events.stream()
                .collect(Collectors.groupingBy(TagEditOutcome::eventId));
        Map<UUID, List<TagEditOutcome>> decisionsByEdit = copiesByEvent.values().stream().map(copies -> copies.get(0))
                .collect(Collectors.groupingBy(TagEditOutcome::editId));
        SoftAssertions soft = new SoftAssertions();
        copiesByEvent.forEach((eventId, copies) -> soft.assertThat(copies).as("copies of outcome event %s", eventId)
                .allSatisfy(copy -> assertThat(copy).isEqualTo(copies.get(0))));
        soft.assertThat(decisionsByEdit.keySet()).as("edits with an outcome").containsExactlyInAnyOrderElementsOf(editIds);
        decisionsByEdit.forEach((editId, decisions) -> {
            soft.assertThat(decisions).as("terminal outcomes of edit %s", editId).hasSize(1);
            soft.assertThat(decisions).as("terminal outcomes of edit %s", editId)
                    .allSatisfy(d -> assertThat(d.outcome()).as(d.reason()).isEqualTo(Outcome.APPLIED));
        });
        soft.assertAll();
    }

    /** Azure holds the requested tags on every resource, and each got exactly one Tags API write. */
    private static void assertEachResourceWrittenOnce(ServiceEnvironment env, List<String> resourceIds) {
        Map<String, Long> writesByScope = env.azure().requestLog().entries().stream()
                .filter(e -> e.route() != null && e.route().startsWith("arm.tags.") && !TAGS_GET.equals(e.route()))
                .collect(Collectors.groupingBy(e -> tagScope(e.target()), Collectors.counting()));
        SoftAssertions soft = new SoftAssertions();
        for (String id : resourceIds) {
            soft.assertThat(env.azure().world().tagsAt(ArmResourceId.parse(id)).orElseThrow())
                    .as("Azure's tags of %s", id).containsAllEntriesOf(TAGS);
            soft.assertThat(writesByScope.getOrDefault(id.toLowerCase(Locale.ROOT), 0L))
                    .as("Tags API writes to %s", id).isEqualTo(1L);
        }
        soft.assertThat(writesByScope.keySet()).as("resources written").hasSize(resourceIds.size());
        soft.assertAll();
    }
}
