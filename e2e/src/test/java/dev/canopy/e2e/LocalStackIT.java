package dev.canopy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.local.CanopyService;
import dev.canopy.local.DemoReport;
import dev.canopy.local.DemoStory;
import dev.canopy.local.LocalStack;
import dev.canopy.local.Progress;
import dev.canopy.local.StackClient;
import dev.canopy.local.StackOptions;

/**
 * The local stack end to end, as {@code deploy/local/canopy-local demo} runs it — the packaged services as separate
 * processes over HTTPS, a KRaft broker, PostgreSQL and the emulator — on free ports beside anything else, and the
 * demo's story checked: onboarding through the consent redirects, collection, the three tag edits, and every figure of
 * the summary against the test's own reading of the sample files. Last, as {@code demo --keep} and {@code stop} do: the
 * stack is detached and then stopped from the record it left in its folder.
 */
// The story's checks read the running stack; the last two tests stop it.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static final Set<String> ONBOARDED = Set.of(SampleWorld.SUB_RND, SampleWorld.SUB_CORPORATE,
            SampleWorld.SUB_FINANCE);
    // The emulator answers Cost Management amounts as JSON numbers (doubles, as Azure does); a day's sum may differ
    // from the files' exact decimal in its last binary digits.
    private static final BigDecimal ROUNDING = new BigDecimal("1e-9");

    private static LocalStack stack;
    private static Path stateDir;
    private static Progress progress;
    private static DemoReport report;
    private static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();
    private final SampleFiles samples = new SampleFiles();

    @BeforeAll
    static void runTheDemo() {
        Path root = Path.of(System.getProperty("canopy.root", "..")).toAbsolutePath().normalize();
        stateDir = Path.of(System.getProperty("canopy.e2e.state-dir", "target/local-stack")).toAbsolutePath();
        PrintStream out = new PrintStream(new TeeStream(System.out, OUTPUT), true, StandardCharsets.UTF_8);
        progress = new Progress(out);
        stack = LocalStack.start(StackOptions.onFreePorts(root, stateDir, "canopy_e2e"), progress);
        report = new DemoStory(stack, progress).run();
        report.print(out);
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
            // when the stop test failed half-way: what the record still names
            LocalStack.stop(stateDir, progress);
        }
    }

    @Test
    void theAdminOnboardsTheSubscriptionsSheOwnsThroughTheConsentRedirects() {
        assertThat(report.onboarding()).filteredOn(o -> o.outcome().equals("assigned"))
                .extracting(DemoReport.OnboardingOutcome::subscriptionId).containsExactlyInAnyOrderElementsOf(ONBOARDED);
        assertThat(report.onboarding()).filteredOn(o -> o.subscriptionId().equals(SampleWorld.SUB_IT))
                .singleElement().satisfies(o -> assertThat(o.outcome()).isEqualTo("skipped"));
        assertThat(report.onboarding()).extracting(DemoReport.OnboardingOutcome::subscriptionId)
                .doesNotContain(SampleWorld.SUB_COST_RESEARCH);
        assertThat(report.tenants()).singleElement().satisfies(t -> {
            assertThat(t.tenantId()).isEqualTo(SampleWorld.TREY_TENANT_ID);
            assertThat(t.state()).isEqualTo("active");
        });
        assertThat(report.subscriptions()).filteredOn(s -> ONBOARDED.contains(s.subscriptionId()))
                .allSatisfy(s -> assertThat(s.policy()).isEqualTo(DemoStory.POLICIES.get(s.subscriptionId())));
    }

    @Test
    void collectionListsEveryResourceAndGroupOfTheSampleFiles() {
        for (DemoReport.SubscriptionStatus s : report.subscriptions()) {
            if (ONBOARDED.contains(s.subscriptionId())) {
                assertThat(s.collection()).as(s.displayName()).isEqualTo("FINISHED");
                assertThat(s.spendState()).as(s.displayName()).isEqualTo("COLLECTED");
                assertThat(s.resourcesSeen()).as(s.displayName()).isEqualTo(samples.resourcesAndGroups(s.subscriptionId()));
            }
        }
    }

    @Test
    void everyCollectedTagSetIsAzuresAndNoTagsCollectsNone() {
        StackClient api = new StackClient(stack.sslContext());
        String token = api.mintedToken(stack.emulatorUrl(), "e2e@canopy.example", List.of("viewer:" + SampleWorld.TREY_TENANT_ID));
        JsonNode world = api.get(stack.emulatorUrl() + "/_emulator/world", null);
        int compared = 0;
        for (JsonNode resource : world.path("resources")) {
            String id = resource.path("id").asText();
            String subscription = id.split("/")[2].toLowerCase(Locale.ROOT);
            if (!ONBOARDED.contains(subscription)) {
                continue;
            }
            JsonNode collected = api.get(stack.serviceUrl(CanopyService.TAG_SYNC) + "/resources" + id + "/tags", token)
                    .path("azureTags");
            if (subscription.equals(SampleWorld.SUB_FINANCE)) {
                assertThat(collected.size()).as(id).isZero();
            } else {
                Map<String, String> azure = strings(resource.path("tags"));
                if (isTheEditedResource(id)) {
                    // Collected before the demo's edit reached Azure: Azure's tags then were these without the edit.
                    DemoStory.EDIT.keySet().forEach(azure::remove);
                }
                assertThat(strings(collected)).as(id).isEqualTo(azure);
                compared++;
            }
        }
        assertThat(compared).isPositive();
        assertThat(report.tags().get(SampleWorld.SUB_FINANCE).tags()).isZero();
        assertThat(report.tags().get(SampleWorld.SUB_RND).tags()).isPositive();
        assertThat(report.tags().get(SampleWorld.SUB_CORPORATE).tags()).isPositive();
    }

    @Test
    void spendPerSubscriptionIsTheSampleFilesSpend() {
        for (String costType : List.of("ACTUAL", "AMORTIZED")) {
            Map<String, Map<String, BigDecimal>> expected = samples.perSubscription(costType, ONBOARDED);
            DemoReport.Spend spend = report.spendBySubscription().get(costType);
            assertThat(spend.groups()).extracting(DemoReport.SpendGroup::key)
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (DemoReport.SpendGroup group : spend.groups()) {
                assertSameAmounts(costType + " " + group.key(), group.totals(), expected.get(group.key()));
            }
        }
    }

    @Test
    void spendByTagAndUnallocatedSpendAreTheSampleFilesWithFinancesTagsLeftOut() {
        Map<String, Map<String, BigDecimal>> expected = samples.perTagValue("ACTUAL", ONBOARDED, DemoStory.TAG_KEY,
                Set.of(SampleWorld.SUB_FINANCE));
        DemoReport.Spend byTag = report.spendByTag();
        assertThat(byTag.groups()).allSatisfy(g -> assertThat(g.tagSource()).isIn("resource", "none"));
        assertThat(byTag.groups()).extracting(DemoReport.SpendGroup::key)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (DemoReport.SpendGroup group : byTag.groups()) {
            assertSameAmounts("tag value " + group.key(), group.totals(), expected.get(group.key()));
        }
        assertSameAmounts("unallocated", report.unallocated().totals(), expected.get(null));
    }

    @Test
    void theEditLandsInAzureOnReadWriteStaysInCanopyOnReadTagsOnlyAndIsRejectedOnNoTags() {
        assertThat(report.edits()).hasSize(3);
        // Collected while each subscription still had its onboarding policy, Read and Write Tags: Azure's tags then.
        for (DemoReport.Edit edit : report.edits()) {
            Map<String, String> before = new HashMap<>(edit.azureTags());
            DemoStory.EDIT.keySet().forEach(before::remove);
            assertThat(edit.collectedTags()).as(edit.resourceId()).isEqualTo(before);
        }
        DemoReport.Edit readWrite = edit(SampleWorld.SUB_RND);
        assertThat(readWrite.outcome()).isEqualTo("APPLIED");
        assertThat(readWrite.inAzure()).isTrue();
        assertThat(readWrite.inCanopy()).isFalse();

        DemoReport.Edit readOnly = edit(SampleWorld.SUB_CORPORATE);
        assertThat(readOnly.outcome()).isEqualTo("KEPT_IN_PLATFORM");
        assertThat(readOnly.inAzure()).isFalse();
        assertThat(readOnly.inCanopy()).isTrue();

        DemoReport.Edit noTags = edit(SampleWorld.SUB_FINANCE);
        assertThat(noTags.outcome()).isEqualTo("REJECTED_BY_POLICY");
        assertThat(noTags.inAzure()).isFalse();
        assertThat(noTags.inCanopy()).isFalse();
    }

    @Test
    void theOnlyWritesToAzureWereTheRoleAssignmentsAndTheOneTagsPatch() {
        StackClient api = new StackClient(stack.sslContext());
        List<String> writes = new ArrayList<>();
        for (JsonNode request : api.get(stack.emulatorUrl() + "/_emulator/requests", null)) {
            String route = request.path("route").asText();
            // Cost Management's query is a POST that reads.
            if (route.startsWith("arm.") && !request.path("method").asText().equals("GET")
                    && !route.equals("arm.costmanagement.query")) {
                writes.add(route + " " + request.path("path").asText());
            }
        }
        assertThat(writes).isNotEmpty().allMatch(w -> w.startsWith("arm.roleassignments.create ")
                || w.startsWith("arm.tags.patch "));
        assertThat(writes).filteredOn(w -> w.startsWith("arm.tags.patch ")).singleElement().asString()
                .containsIgnoringCase(edit(SampleWorld.SUB_RND).resourceId());
    }

    @Test
    void theSummaryNamesEveryServicesSwaggerUiAndLogs() {
        String printed = OUTPUT.toString(StandardCharsets.UTF_8);
        for (CanopyService service : CanopyService.values()) {
            assertThat(printed).contains(stack.serviceUrl(service) + "/q/swagger-ui");
            assertThat(stack.log(service.module())).isNotEmptyFile();
        }
        assertThat(printed).contains("Spend per subscription", "Unallocated actual spend", "Tag edits", "APPLIED",
                "KEPT_IN_PLATFORM", "REJECTED_BY_POLICY");
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aSecondStackFromTheSameFolderIsRefusedWhileThisOneRuns() {
        assertThatThrownBy(() -> LocalStack.start(stack.options(), progress))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
        assertThat(recordedPids()).as("the running stack's record is left alone").hasSize(2 + CanopyService.values().length)
                .allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aKeptStackIsStoppedCleanlyFromItsRecordByTheStopCommand() {
        List<Long> pids = recordedPids();
        stack.detach();
        assertThat(pids).as("broker, emulator and services all running after detach")
                .hasSize(2 + CanopyService.values().length)
                .allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        assertThat(LocalStack.stop(stateDir, progress)).isTrue();

        assertThat(pids).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        List<Integer> ports = new ArrayList<>(List.of(stack.options().kafkaPort(), stack.options().emulatorPort()));
        for (CanopyService service : CanopyService.values()) {
            ports.add(stack.options().port(service));
            // SIGTERM honoured: Quarkus logs its own shutdown, which a SIGKILL would have cut off
            assertThat(stack.log(service.module())).as(service.module()).content().contains("stopped in");
        }
        assertThat(ports).allMatch(LocalStackIT::free);
        assertThat(LocalStack.stop(stateDir, progress)).as("nothing left to stop").isFalse();
    }

    private static List<Long> recordedPids() {
        Properties state = new Properties();
        try (InputStream in = Files.newInputStream(stateDir.resolve("stack.properties"))) {
            state.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return state.stringPropertyNames().stream().filter(k -> k.endsWith(".pid"))
                .map(k -> Long.parseLong(state.getProperty(k))).toList();
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new HashMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static boolean isTheEditedResource(String id) {
        return report.edits().stream().anyMatch(e -> e.outcome().equals("APPLIED") && e.resourceId().equalsIgnoreCase(id));
    }

    private static DemoReport.Edit edit(String subscriptionId) {
        return report.edits().stream().filter(e -> e.subscriptionId().equals(subscriptionId)).findFirst().orElseThrow();
    }

    private static void assertSameAmounts(String what, Map<String, BigDecimal> actual, Map<String, BigDecimal> expected) {
        assertThat(expected).as(what + ": the sample files have spend").isNotNull();
        assertThat(actual.keySet()).as(what + " currencies").isEqualTo(expected.keySet());
        expected.forEach((currency, amount) -> assertThat(actual.get(currency)).as(what + " " + currency)
                .isCloseTo(amount, offset(ROUNDING)));
    }

    /** Prints the demo's progress and summary and keeps a copy for the assertions. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
