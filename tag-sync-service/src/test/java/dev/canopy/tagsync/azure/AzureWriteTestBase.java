package dev.canopy.tagsync.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.world.Resource;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldBuilder;
import dev.canopy.emulator.world.WorldSpec;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.testsupport.azure.InjectAzureEmulator;

/**
 * Shared steps of the Azure-side tests: a fresh synthetic world per test (one tenant, two subscriptions, Canopy's
 * principal pre-consented with Tag Contributor), resources put where a test needs them, and the request log read
 * per resource. After every test it checks what the design promises: every request the emulator ever saw that
 * could change Azure was a Tags API PATCH.
 */
abstract class AzureWriteTestBase {

    /** The Tags API route of the emulator, the only one tag-sync may change Azure through. */
    static final String TAGS_PATCH = "arm.tags.patch";
    // Requests that change nothing in a customer's Azure: getting tokens, and the tests' own control calls.
    private static final Set<String> NOT_AZURE_CHANGES = Set.of("entra.token", "platform.token");

    @InjectAzureEmulator
    AzureEmulator azure;

    @Inject
    AzureTagsWriter writer;

    WorldSpec world;
    String tenantId;
    String subscriptionId;
    String otherSubscriptionId;
    String canopyPrincipal;

    @BeforeEach
    void freshWorld(TestInfo test) {
        // A seed per test: ids of one test never meet another test's (pacing buckets are per subscription).
        long seed = Math.abs((long) (getClass().getName() + "#" + test.getDisplayName()).hashCode());
        azure.limits().configure(LimitSettings.off());
        azure.faults().clear();
        world = SyntheticWorld.generate(new SyntheticWorld.Parameters(seed, 1, 2, 1, 2, 1, LocalDate.of(2026, 1, 1),
                "EUR", true));
        azure.loadWorld(world);
        tenantId = world.subscriptions().get(0).tenantId();
        subscriptionId = world.subscriptions().get(0).subscriptionId();
        otherSubscriptionId = world.subscriptions().get(1).subscriptionId();
        canopyPrincipal = world.servicePrincipals().stream()
                .filter(p -> p.tenantId().equals(tenantId) && p.appId().equals(WorldBuilder.CANOPY_APP_ID))
                .findFirst().orElseThrow().objectId();
    }

    @AfterEach
    void everyRequestThatCouldChangeAzureWasATagsPatch() {
        List<RequestLog.Entry> changes = azure.requestLog().entries().stream()
                .filter(e -> !e.method().equals("GET") && !NOT_AZURE_CHANGES.contains(e.route())
                        && (e.route() == null || !e.route().startsWith("control.")))
                .toList();
        assertThat(changes).allSatisfy(e -> {
            assertThat(e.method()).isEqualTo("PATCH");
            assertThat(e.route()).isEqualTo(TAGS_PATCH);
            assertThat(e.target()).contains("/providers/Microsoft.Resources/tags/default?api-version=");
        });
        azure.limits().configure(LimitSettings.off());
        azure.faults().clear();
    }

    /** Puts a resource into rg-0 of the first subscription (as someone in the portal would). */
    String resource(String type, String name, Map<String, String> tags) {
        return resourceIn(subscriptionId, type, name, tags);
    }

    String resourceIn(String subscription, String type, String name, Map<String, String> tags) {
        String id = "/subscriptions/" + subscription + "/resourceGroups/rg-0/providers/" + type + "/" + name;
        Instant now = Instant.now();
        azure.world().putResource(new Resource(id, "westeurope", tags, null, null, null, null, now, now));
        return id;
    }

    TagWriteRequest request(String resourceId, TagOperation operation, Map<String, String> tags) {
        String subscription = resourceId.split("/")[2];
        return new TagWriteRequest(tenantId, subscription, resourceId, operation, tags);
    }

    Map<String, String> azureTags(String resourceId) {
        return azure.world().resource(resourceId).orElseThrow().tags();
    }

    /** Requests the emulator saw for the tags of a scope (reads and writes), oldest first. */
    List<RequestLog.Entry> tagRequests(String scopeId) {
        String prefix = (scopeId + "/providers/Microsoft.Resources/tags/default").toLowerCase(Locale.ROOT);
        return azure.requestLog().entries().stream()
                .filter(e -> e.target().toLowerCase(Locale.ROOT).startsWith(prefix)).toList();
    }

    List<RequestLog.Entry> patches(String scopeId) {
        return tagRequests(scopeId).stream().filter(e -> e.method().equals("PATCH")).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> sentTags(TagWriteResult result) {
        return (Map<String, String>) ((Map<String, Object>) result.sent().body().get("properties")).get("tags");
    }
}
