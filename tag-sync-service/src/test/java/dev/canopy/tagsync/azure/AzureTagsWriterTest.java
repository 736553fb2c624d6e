package dev.canopy.tagsync.azure;

import static dev.canopy.events.TagEditOutcome.Outcome.APPLIED;
import static dev.canopy.events.TagEditOutcome.Outcome.FAILED;
import static dev.canopy.events.TagEditOutcome.Outcome.FAILED_PERMISSION;
import static dev.canopy.events.TagEditOutcome.Outcome.REJECTED_BY_AZURE_RULES;
import static dev.canopy.events.TagEditOutcome.Outcome.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.faults.FaultRule;
import dev.canopy.emulator.faults.FaultRule.AsyncTagWrites;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.world.RoleAssignment;
import dev.canopy.events.azure.ArmResourceId;
import dev.canopy.events.azure.TagOperation;
import dev.canopy.events.azure.TagSetOperations;
import dev.canopy.testsupport.azure.AzureEmulatorResource;
import dev.canopy.testsupport.db.PostgresDatabaseResource;
import dev.canopy.testsupport.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** AzureTagsWriter against the emulator: Azure's tag semantics, its rules, and every way a write can end. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(AzureEmulatorResource.class)
class AzureTagsWriterTest extends AzureWriteTestBase {

    private static final String VM = "Microsoft.Compute/virtualMachines";
    private static final String TAG_CONTRIBUTOR = "4a9ae827-6dc8-4573-8ac7-8239d42aa03f";
    private static final String READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

    @Test
    void mergeKeepsATagSomeoneElseAddedWhileTheWriteWasOnItsWay() {
        String vm = resource(VM, "vm-merge", Map.of("env", "prod"));
        // Hold the PATCH in the emulator long enough for a person to add a tag after tag-sync read the old set.
        azure.faults().add(new FaultRule(TAGS_PATCH, 0, 0, 1500, 0, null));

        TagWriteResult result = writeWhileSomeoneElseEdits(request(vm, TagOperation.MERGE, Map.of("CostCenter", "1234")),
                vm, Map.of("owner", "alice"));

        assertThat(result.outcome()).isEqualTo(APPLIED);
        assertThat(result.reason()).isNull();
        assertThat(result.azureTagsAfter()).isEqualTo(Map.of("env", "prod", "owner", "alice", "CostCenter", "1234"));
        assertThat(azureTags(vm)).isEqualTo(result.azureTagsAfter());
        assertThat(result.sent().method()).isEqualTo("PATCH");
        assertThat(result.sent().body()).containsEntry("operation", "Merge");
        assertThat(result.sent().url()).isEqualTo(azure.armEndpoint() + vm.substring(1)
                + "/providers/Microsoft.Resources/tags/default?api-version=2021-04-01");
        assertThat(result.sentAt()).isNotNull();
        // Read, write, read back — all as Canopy's service principal of the resource's tenant.
        assertThat(tagRequests(vm)).extracting(RequestLog.Entry::method).containsExactly("GET", "PATCH", "GET");
        assertThat(tagRequests(vm)).extracting(RequestLog.Entry::principal).containsOnly(canopyPrincipal);
    }

    @Test
    void aNameInAnotherCaseUpdatesTheExistingTagAndNeverAddsATwin() {
        Map<String, String> held = new LinkedHashMap<>();
        held.put("CostCenter", "1000");
        held.put("env", "prod");
        String vm = resource(VM, "vm-case", held);
        Map<String, String> change = new LinkedHashMap<>();
        change.put("costcenter", "2000");
        change.put("ENV", "dev");

        TagWriteResult merged = writer.write(request(vm, TagOperation.MERGE, change));

        assertThat(merged.outcome()).isEqualTo(APPLIED);
        assertThat(sentTags(merged)).containsExactly(Map.entry("CostCenter", "2000"), Map.entry("env", "dev"));
        assertThat(azureTags(vm)).containsExactly(Map.entry("CostCenter", "2000"), Map.entry("env", "dev"));

        TagWriteResult deleted = writer.write(request(vm, TagOperation.DELETE, Map.of("COSTCENTER", "")));

        assertThat(deleted.outcome()).isEqualTo(APPLIED);
        assertThat(sentTags(deleted)).containsExactly(Map.entry("CostCenter", ""));
        assertThat(azureTags(vm)).containsExactly(Map.entry("env", "dev"));
    }

    @Test
    void aValueWithSlashesAndReservedCharactersArrivesByteForByte() {
        String vm = resource(VM, "vm-value", Map.of());
        String value = "https://wiki.example/teams/a%2Fb?x=1&y=<ü>/€\\end";

        TagWriteResult result = writer.write(request(vm, TagOperation.MERGE, Map.of("runbook", value)));

        assertThat(result.outcome()).isEqualTo(APPLIED);
        assertThat(azureTags(vm).get("runbook")).isEqualTo(value);
        assertThat(result.azureTagsAfter().get("runbook")).isEqualTo(value);
    }

    @Test
    void replaceSwapsTheWholeSetOnlyWhenAskedFor() {
        String vm = resource(VM, "vm-replace", Map.of("a", "1", "b", "2"));

        TagWriteResult result = writer.write(request(vm, TagOperation.REPLACE, Map.of("c", "3")));

        assertThat(result.outcome()).isEqualTo(APPLIED);
        assertThat(result.sent().body()).containsEntry("operation", "Replace");
        assertThat(azureTags(vm)).isEqualTo(Map.of("c", "3"));
    }

    @Test
    void deleteRemovesTagsByNameWhateverTheirValue() {
        String vm = resource(VM, "vm-delete", Map.of("env", "prod", "owner", "bob", "team", "x"));

        TagWriteResult result = writer.write(request(vm, TagOperation.DELETE, Map.of("Owner", "", "TEAM", "")));

        assertThat(result.outcome()).isEqualTo(APPLIED);
        assertThat(result.sent().body()).containsEntry("operation", "Delete");
        assertThat(azureTags(vm)).isEqualTo(Map.of("env", "prod"));
    }

    @Test
    void resourceGroupsAndSubscriptionsAreTaggedAtTheirOwnScope() {
        String group = "/subscriptions/" + subscriptionId + "/resourceGroups/rg-0";
        String subscription = "/subscriptions/" + subscriptionId;

        assertThat(writer.write(request(group, TagOperation.MERGE, Map.of("owner", "finops"))).outcome()).isEqualTo(APPLIED);
        assertThat(writer.write(request(subscription, TagOperation.MERGE, Map.of("owner", "finops"))).outcome())
                .isEqualTo(APPLIED);
        assertThat(azure.world().tagsAt(ArmResourceId.parse(group)).orElseThrow()).containsEntry("owner", "finops");
        assertThat(azure.world().subscription(subscriptionId).orElseThrow().tags()).containsEntry("owner", "finops");
    }

    @Test
    void aSixteenthTagOnAFifteenTagTypeIsRejectedWithEveryViolationAndNothingIsSent() {
        Map<String, String> fifteen = new LinkedHashMap<>();
        for (int i = 0; i < 15; i++) {
            fifteen.put("k" + i, "v");
        }
        String automation = resource("Microsoft.Automation/automationAccounts", "aa-full", fifteen);
        Map<String, String> change = new LinkedHashMap<>();
        change.put("k15", "v");
        change.put("team/unit", "x");

        TagWriteResult result = writer.write(request(automation, TagOperation.MERGE, change));

        assertThat(result.outcome()).isEqualTo(REJECTED_BY_AZURE_RULES);
        assertThat(result.reason()).contains("InvalidTags", "17 tags", "limit of 15", "InvalidTagNameCharacters", "team/unit");
        assertThat(result.sent()).isNull();
        assertThat(result.sentAt()).isNull();
        assertThat(tagRequests(automation)).extracting(RequestLog.Entry::method).containsExactly("GET");
        assertThat(azureTags(automation)).isEqualTo(fifteen);
    }

    @Test
    void aResourceTypeThatCannotBeTaggedIsRejectedWithoutCallingAzure() {
        String subnet = resource("Microsoft.Network/virtualNetworks", "vnet-hub/subnets/default", Map.of());

        TagWriteResult result = writer.write(request(subnet, TagOperation.MERGE, Map.of("env", "prod")));

        assertThat(result.outcome()).isEqualTo(REJECTED_BY_AZURE_RULES);
        assertThat(result.reason()).contains("TagsNotSupported", "Microsoft.Network/virtualNetworks/subnets");
        assertThat(result.sent()).isNull();
        assertThat(tagRequests(subnet)).isEmpty();
    }

    @Test
    void azuresOwnRefusalOfTheTagsIsRejectedWithAzuresMessage() {
        Map<String, String> fortyNine = new LinkedHashMap<>();
        for (int i = 0; i < 49; i++) {
            fortyNine.put("k" + i, "v");
        }
        String vm = resource(VM, "vm-race", fortyNine);
        azure.faults().add(new FaultRule(TAGS_PATCH, 0, 0, 1500, 0, null));

        // Someone adds a 50th tag after tag-sync checked 49 + 1: only Azure can see the 51.
        TagWriteResult result = writeWhileSomeoneElseEdits(request(vm, TagOperation.MERGE, Map.of("new", "v")), vm,
                Map.of("k49", "v"));

        assertThat(result.outcome()).isEqualTo(REJECTED_BY_AZURE_RULES);
        assertThat(result.reason()).startsWith("Azure refused the tags: InvalidTags: ").contains("51 tags");
        assertThat(result.sent()).isNotNull();
        assertThat(patches(vm)).hasSize(1);
    }

    @Test
    void aPrincipalWithoutTagContributorFailsWithPermissionAfterExactlyOneAttempt() {
        // Canopy's principal may only read in the other subscription: Reader instead of Tag Contributor.
        String scope = "/subscriptions/" + otherSubscriptionId;
        RoleAssignment tagContributor = azure.world().roleAssignments().stream()
                .filter(a -> a.scope().equals(scope) && a.principalId().equals(canopyPrincipal)
                        && a.roleDefinitionId().equals(TAG_CONTRIBUTOR))
                .findFirst().orElseThrow();
        azure.world().deleteRoleAssignment(tagContributor.id());
        azure.world().putRoleAssignment(new RoleAssignment("reader-" + otherSubscriptionId, scope, READER,
                canopyPrincipal, "ServicePrincipal", null, null, null));
        String vm = resourceIn(otherSubscriptionId, VM, "vm-forbidden", Map.of("env", "prod"));

        TagWriteResult result = writer.write(request(vm, TagOperation.MERGE, Map.of("owner", "carol")));

        assertThat(result.outcome()).isEqualTo(FAILED_PERMISSION);
        assertThat(result.reason()).contains("403", "AuthorizationFailed", "Microsoft.Resources/tags/write");
        assertThat(patches(vm)).extracting(RequestLog.Entry::status).containsExactly(403);
        assertThat(azureTags(vm)).isEqualTo(Map.of("env", "prod"));
    }

    @Test
    void serverErrorsBeyondTheRetriesFailAfterABoundedNumberOfAttempts() {
        String vm = resource(VM, "vm-5xx", Map.of());
        azure.faults().add(new FaultRule(TAGS_PATCH, 1.0, 503, 0, 0, null));

        TagWriteResult result = writer.write(request(vm, TagOperation.MERGE, Map.of("env", "prod")));

        assertThat(result.outcome()).isEqualTo(FAILED);
        assertThat(result.reason()).contains("503", "ServiceUnavailable", "after 3 retries");
        assertThat(patches(vm)).hasSize(4).extracting(RequestLog.Entry::status).containsOnly(503);
    }

    @Test
    void droppedConnectionsBeyondTheRetriesFail() {
        String vm = resource(VM, "vm-dropped", Map.of());
        azure.faults().add(new FaultRule(TAGS_PATCH, 0, 0, 0, 1.0, null));

        TagWriteResult result = writer.write(request(vm, TagOperation.MERGE, Map.of("env", "prod")));

        assertThat(result.outcome()).isEqualTo(FAILED);
        assertThat(result.reason()).contains("no answer", "after 3 retries");
        assertThat(patches(vm)).hasSize(4);
    }

    @Test
    void aResourceThatIsGoneFails() {
        String gone = "/subscriptions/" + subscriptionId + "/resourceGroups/rg-0/providers/" + VM + "/vm-deleted";

        TagWriteResult result = writer.write(request(gone, TagOperation.MERGE, Map.of("env", "prod")));

        assertThat(result.outcome()).isEqualTo(FAILED);
        assertThat(result.reason()).contains("gone", "404", "ResourceNotFound");
        assertThat(patches(gone)).isEmpty();
    }

    @Test
    void anAcceptedWriteIsFollowedOnItsStatusUrl() {
        String vm = resource(VM, "vm-async", Map.of());
        azure.faults().add(new FaultRule(TAGS_PATCH, 0, 0, 0, 0, AsyncTagWrites.SUCCEED));

        TagWriteResult result = writer.write(request(vm, TagOperation.MERGE, Map.of("env", "prod")));

        assertThat(result.outcome()).isEqualTo(APPLIED);
        assertThat(result.reason()).isNull();
        assertThat(patches(vm)).extracting(RequestLog.Entry::status).containsExactly(202);
        assertThat(azure.requestLog().entries()).anySatisfy(e -> {
            assertThat(e.route()).isEqualTo("arm.operationresults.get");
            assertThat(e.status()).isEqualTo(200);
        });
    }

    @Test
    void aFailedStatusUrlIsNotWrittenAgainTheTagsReadBackSayUnknown() {
        String vm = resource(VM, "vm-async-fail", Map.of("env", "prod"));
        azure.faults().add(new FaultRule(TAGS_PATCH, 0, 0, 0, 0, AsyncTagWrites.FAIL));

        TagWriteResult result = writer.write(request(vm, TagOperation.MERGE, Map.of("env", "dev")));

        assertThat(result.outcome()).isEqualTo(UNKNOWN);
        assertThat(result.reason()).contains("202", "status URL failed", "500", "env", "not written again");
        assertThat(result.azureTagsAfter()).isEqualTo(Map.of("env", "prod"));
        assertThat(patches(vm)).hasSize(1);
    }

    @Test
    void aFailedStatusUrlOfAWriteThatTookEffectIsAppliedByTheReadBack() {
        String vm = resource(VM, "vm-async-applied", Map.of());
        azure.faults().add(new FaultRule(TAGS_PATCH, 0, 0, 0, 0, AsyncTagWrites.SUCCEED));
        azure.faults().add(new FaultRule("arm.operationresults.get", 1.0, 500, 0, 0, null));

        TagWriteResult result = writer.write(request(vm, TagOperation.MERGE, Map.of("env", "dev")));

        assertThat(result.outcome()).isEqualTo(APPLIED);
        assertThat(result.reason()).contains("status URL failed", "hold the change");
        assertThat(result.azureTagsAfter()).isEqualTo(Map.of("env", "dev"));
        assertThat(patches(vm)).hasSize(1);
    }

    @Test
    void throttledWritesAreWaitedOutAndNeverFail() {
        // Azure's writes bucket far smaller than the pacer expects: the 429s themselves must be absorbed.
        azure.limits().configure(new LimitSettings(true, 250, 25, 3, 3, 200, 10, 12, 60, 600, 4));
        List<String> vms = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            vms.add(resource(VM, "vm-throttled-" + i, Map.of()));
        }

        List<TagWriteResult> results = vms.stream()
                .map(vm -> writer.write(request(vm, TagOperation.MERGE, Map.of("env", "prod")))).toList();

        assertThat(results).extracting(TagWriteResult::outcome).containsOnly(APPLIED);
        assertThat(vms.stream().flatMap(vm -> patches(vm).stream())).extracting(RequestLog.Entry::status)
                .contains(429).filteredOn(status -> status == 200).hasSize(8);
    }

    /**
     * Writes on another thread and, once tag-sync has read the current tags, merges {@code edit} into the resource's
     * tags as a person in the portal would; the test's fault rule holds the PATCH meanwhile.
     */
    private TagWriteResult writeWhileSomeoneElseEdits(TagWriteRequest request, String resourceId, Map<String, String> edit) {
        CompletableFuture<TagWriteResult> write = CompletableFuture.supplyAsync(() -> writer.write(request));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> !tagRequests(resourceId).isEmpty());
        azure.world().updateTags(ArmResourceId.parse(resourceId), current -> TagSetOperations.merge(current, edit));
        return write.orTimeout(30, TimeUnit.SECONDS).join();
    }
}
