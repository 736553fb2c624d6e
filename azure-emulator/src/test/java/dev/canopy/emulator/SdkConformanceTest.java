package dev.canopy.emulator;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.core.util.Context;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.AzureResourceManager;
import com.azure.resourcemanager.authorization.fluent.models.RoleAssignmentInner;
import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.authorization.models.RoleAssignmentCreateParameters;
import com.azure.resourcemanager.authorization.models.RoleAssignment;
import com.azure.resourcemanager.resources.fluent.models.TagsResourceInner;
import com.azure.resourcemanager.resources.models.GenericResource;
import com.azure.resourcemanager.resources.models.ResourceGroup;
import com.azure.resourcemanager.resources.models.Subscription;
import com.azure.resourcemanager.resources.models.Tags;
import com.azure.resourcemanager.resources.models.TagsPatchOperation;
import com.azure.resourcemanager.resources.models.TagsPatchResource;
import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.emulator.arm.Rbac;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.server.Json;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.emulator.world.ServicePrincipal;
import dev.canopy.emulator.world.WorldBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the official Azure SDK for Java (azure-resourcemanager + azure-identity over azure-core-http-jdk-httpclient)
 * against the emulator over HTTPS, and compares the emulator's bodies field by field with the azure-rest-api-specs
 * examples and the recorded ARM traffic.
 */
class SdkConformanceTest {

    static final String TREY = SampleWorld.TREY_TENANT_ID;
    static final String RND = SampleWorld.SUB_RND;

    static AzureEmulator emulator;
    static EmulatorClient raw;
    static HttpClient httpClient;
    static TokenCredential credential;
    static AzureResourceManager arm;
    static ServicePrincipal canopy;

    @BeforeAll
    static void start() {
        emulator = AzureEmulator.start(EmulatorOptions.defaults().withPageSize(4).withLimits(LimitSettings.off()));
        raw = new EmulatorClient(emulator);
        // Canopy after onboarding in Trey: its service principal is Owner of R&D so every API is reachable.
        canopy = Fixtures.canopyWithRole(emulator.world(), TREY, RND, Rbac.OWNER);
        httpClient = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext())).build();
        credential = new ClientSecretCredentialBuilder().tenantId(TREY).clientId(WorldBuilder.CANOPY_APP_ID)
                .clientSecret(WorldBuilder.CANOPY_APP_SECRET).authorityHost(emulator.baseUrl())
                .disableInstanceDiscovery().httpClient(httpClient).build();
        // Copy Azure's endpoints and replace only the resource manager URL (BUILD-NOTES).
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", emulator.armEndpoint());
        AzureProfile profile = new AzureProfile(TREY, RND, new AzureEnvironment(endpoints));
        arm = AzureResourceManager.configure().withHttpClient(httpClient).authenticate(credential, profile).withSubscription(RND);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String appToken() {
        return emulator.tokens().appToken(TREY);
    }

    /** Every field of the sample appears in the emulator's body with the same JSON type. */
    private static void assertHasShapeOf(JsonNode actual, JsonNode sample) {
        assertThat(JsonShapes.of(actual)).containsAll(JsonShapes.of(sample));
    }

    @Test
    void listsSubscriptionsResourceGroupsAndResourcesOverSeveralPages() {
        List<String> subs = arm.subscriptions().list().stream().map(Subscription::subscriptionId).toList();
        assertThat(subs).containsExactly(RND);

        List<ResourceGroup> groups = arm.resourceGroups().list().stream().toList();
        assertThat(groups).hasSize(emulator.world().resourceGroups(RND).size()).hasSizeGreaterThan(4);

        List<GenericResource> resources = arm.genericResources().list().stream().toList();
        assertThat(resources.stream().map(GenericResource::id).collect(Collectors.toSet()))
                .hasSize(emulator.world().resources(RND).size());
        assertThat(emulator.requestLog().entries().stream().filter(e -> "arm.resources.list".equals(e.route())).count())
                .isGreaterThan(2);

        JsonNode subsBody = raw.get("/subscriptions?api-version=2022-12-01", appToken()).json();
        JsonNode sample = JsonShapes.sample("GetSubscriptions.json").path("responses").path("200").path("body");
        JsonNode sampleItem = sample.path("value").get(0).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) sampleItem).remove("tags");
        ((com.fasterxml.jackson.databind.node.ObjectNode) sampleItem).remove("managedByTenants");
        assertHasShapeOf(subsBody.path("value").get(0), sampleItem);

        JsonNode recordedRg = JsonShapes.sample("recording_resourcegroups_list_test.json").path("Entries").get(0)
                .path("ResponseBody").path("value").get(1);
        JsonNode rg = raw.get("/subscriptions/" + RND + "/resourcegroups?api-version=2021-04-01", appToken()).json().path("value").get(0);
        assertThat(JsonShapes.of(rg)).isEqualTo(JsonShapes.of(recordedRg));

        JsonNode recordedResource = JsonShapes.sample("recording_resources_list_test.json").path("Entries").get(0)
                .path("ResponseBody").path("value").get(0).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) recordedResource).remove("plan");
        ((com.fasterxml.jackson.databind.node.ObjectNode) recordedResource).remove("tags");
        JsonNode page = raw.get("/subscriptions/" + RND + "/resources?api-version=2021-04-01&$top=1", appToken()).json();
        assertHasShapeOf(page.path("value").get(0), recordedResource);
        assertThat(page.path("nextLink").asText()).contains("api-version=2021-04-01").contains("%24top=1").contains("%24skiptoken=");
    }

    @Test
    void listsAndCreatesRoleAssignments() {
        List<RoleAssignment> assignments = arm.accessManagement().roleAssignments().listByScope("/subscriptions/" + RND)
                .stream().toList();
        assertThat(assignments).anyMatch(a -> a.principalId().equals(SampleWorld.DEMO_ADMIN_ID)
                && a.roleDefinitionId().endsWith(Rbac.OWNER));

        String principal = UUID.randomUUID().toString();
        String name = UUID.randomUUID().toString();
        RoleAssignmentInner created = arm.accessManagement().roleAssignments().manager().roleServiceClient().getRoleAssignments().create(
                "/subscriptions/" + RND, name, new RoleAssignmentCreateParameters()
                        .withRoleDefinitionId("/subscriptions/" + RND + "/providers/Microsoft.Authorization/roleDefinitions/" + Rbac.TAG_CONTRIBUTOR)
                        .withPrincipalId(principal).withPrincipalType(PrincipalType.SERVICE_PRINCIPAL));
        assertThat(created.name()).isEqualTo(name);
        assertThat(created.principalType()).isEqualTo(PrincipalType.SERVICE_PRINCIPAL);
        assertThat(created.scope()).isEqualTo("/subscriptions/" + RND);

        JsonNode sample = JsonShapes.sample("RoleAssignments_CreateForSubscription.json").path("responses").path("201").path("body");
        JsonNode body = raw.get("/subscriptions/" + RND + "/providers/Microsoft.Authorization/roleAssignments/" + name
                + "?api-version=2022-04-01", appToken()).json();
        assertHasShapeOf(body, sample);
        assertThat(body.path("type").asText()).isEqualTo(sample.path("type").asText());
        assertThat(body.path("properties").path("roleDefinitionId").asText())
                .isEqualTo("/providers/Microsoft.Authorization/roleDefinitions/" + Rbac.TAG_CONTRIBUTOR);
        JsonNode listSample = JsonShapes.sample("RoleAssignments_ListForScope.json").path("responses").path("200").path("body");
        assertHasShapeOf(raw.get("/subscriptions/" + RND + "/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01",
                appToken()).json(), listSample);
        JsonNode definitionSample = JsonShapes.sample("GetRoleDefinitionById.json").path("responses").path("200").path("body");
        assertHasShapeOf(raw.get("/subscriptions/" + RND + "/providers/Microsoft.Authorization/roleDefinitions/"
                + Rbac.TAG_CONTRIBUTOR + "?api-version=2022-04-01", appToken()).json(), definitionSample);
    }

    @Test
    void mergesReplacesAndDeletesTagsThroughTheSdk() {
        GenericResource resource = arm.genericResources().list().stream().findFirst().orElseThrow();
        String scope = resource.id();
        var tagsClient = arm.genericResources().manager().serviceClient().getTagOperations();
        Map<String, String> initial = new LinkedHashMap<>(emulator.world().resource(scope).orElseThrow().tags());

        TagsResourceInner merged = tagsClient.updateAtScope(scope, new TagsPatchResource()
                .withOperation(TagsPatchOperation.MERGE).withProperties(new Tags().withTags(Map.of("canopy-owner", "finops"))));
        assertThat(merged.properties().tags()).containsEntry("canopy-owner", "finops").containsAllEntriesOf(initial);

        TagsResourceInner deleted = tagsClient.updateAtScope(scope, new TagsPatchResource()
                .withOperation(TagsPatchOperation.DELETE).withProperties(new Tags().withTags(Map.of("canopy-owner", ""))));
        assertThat(deleted.properties().tags()).isEqualTo(initial);

        // tagOperations().updateTags sends Replace: every other tag is gone.
        arm.tagOperations().updateTags(resource, Map.of("only", "this"));
        assertThat(emulator.world().resource(scope).orElseThrow().tags()).containsExactly(Map.entry("only", "this"));
        assertThat(emulator.requestLog().entries()).anyMatch(e -> e.target().startsWith("//subscriptions/") && e.status() == 200);

        JsonNode sample = JsonShapes.sample("PatchTagsResource.json").path("responses").path("200").path("body");
        JsonNode recordedGet = JsonShapes.sample("recording_tagsoperations_get_test.json").path("Entries").get(0).path("ResponseBody");
        JsonNode body = raw.get(scope + "/providers/Microsoft.Resources/tags/default?api-version=2025-04-01", appToken()).json();
        assertHasShapeOf(body, sample);
        assertThat(JsonShapes.of(body).stream().filter(p -> !p.startsWith("$.properties.tags.")).collect(Collectors.toSet()))
                .isEqualTo(JsonShapes.of(recordedGet).stream().filter(p -> !p.startsWith("$.properties.tags.")).collect(Collectors.toSet()));
        assertThat(body.path("type").asText()).isEqualTo(recordedGet.path("type").asText());
    }

    private static JsonNode send(HttpMethod method, String url, String body) {
        HttpPipeline pipeline = new HttpPipelineBuilder().httpClient(httpClient)
                .policies(new BearerTokenAuthenticationPolicy(credential, "https://management.azure.com/.default")).build();
        HttpRequest request = new HttpRequest(method, url).setHeader("Content-Type", "application/json");
        if (body != null) {
            request.setBody(body.getBytes(StandardCharsets.UTF_8));
        }
        try (HttpResponse response = pipeline.sendSync(request, Context.NONE)) {
            assertThat(response.getStatusCode()).as(url).isEqualTo(200);
            String text = response.getBodyAsBinaryData().toString();
            return text.isEmpty() ? Json.object() : Json.parse(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void queriesCostAndLinksThePartnerWithTheSdksAuthenticatedPipeline() {
        String query = "{\"type\":\"ActualCost\",\"timeframe\":\"Custom\",\"timePeriod\":{\"from\":\"2024-09-01T00:00:00Z\","
                + "\"to\":\"2024-09-30T23:59:59Z\"},\"dataset\":{\"granularity\":\"None\",\"aggregation\":{\"totalCost\":"
                + "{\"name\":\"PreTaxCost\",\"function\":\"Sum\"}},\"grouping\":[{\"type\":\"Dimension\",\"name\":\"ResourceGroup\"}]}}";
        JsonNode cost = send(HttpMethod.POST, emulator.baseUrl() + "/subscriptions/" + RND
                + "/providers/Microsoft.CostManagement/query?api-version=2025-03-01", query);
        JsonNode sample = JsonShapes.sample("SubscriptionQueryGrouping.json").path("responses").path("200").path("body");
        assertHasShapeOf(cost, sample);
        assertThat(cost.path("properties").path("columns")).isEqualTo(sample.path("properties").path("columns"));
        assertThat(cost.path("properties").path("rows").size()).isPositive();

        JsonNode linked = send(HttpMethod.PUT, emulator.baseUrl() + "/providers/Microsoft.ManagementPartner/partners/123456?api-version=2018-02-01", null);
        JsonNode partnerSample = JsonShapes.sample("PutPartnerDetails.json").path("responses").path("200").path("body");
        assertThat(JsonShapes.of(linked)).isEqualTo(JsonShapes.of(partnerSample));
        assertThat(linked.path("properties").path("objectId").asText()).isEqualTo(canopy.objectId());
        JsonNode current = send(HttpMethod.GET, emulator.baseUrl() + "/providers/Microsoft.ManagementPartner/partners?api-version=2018-02-01", null);
        assertThat(JsonShapes.of(current)).isEqualTo(JsonShapes.of(JsonShapes.sample("GetPartnerDetailsNoPartnerId.json")
                .path("responses").path("200").path("body")));
        send(HttpMethod.DELETE, emulator.baseUrl() + "/providers/Microsoft.ManagementPartner/partners/123456?api-version=2018-02-01", null);
        assertThat(emulator.world().partnerLink(TREY, canopy.objectId())).isEmpty();
    }
}
