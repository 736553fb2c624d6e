package dev.canopy.consent.azure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;

/**
 * The only partner-link write in Canopy: links the partner id with Canopy's own service-principal token in the
 * customer tenant, so the link belongs to Canopy and not to the admin (AZURE-CONTRACTS §2.9). The SDK has no
 * client for Microsoft.ManagementPartner, so this uses azure-core's pipeline (token policy, retries) directly.
 */
@ApplicationScoped
public class PartnerLinkWriter {

    private static final String API_VERSION = "2018-02-01";

    private final AzureClients clients;

    public PartnerLinkWriter(AzureClients clients) {
        this.clients = clients;
    }

    /**
     * Links the partner id; an existing link to the same partner is success.
     *
     * @throws AzureCallFailedException when Azure refuses
     */
    public void link(String tenantId, String partnerId) {
        HttpPipeline pipeline = new HttpPipelineBuilder().httpClient(clients.httpClient())
                .policies(new RetryPolicy(),
                        new BearerTokenAuthenticationPolicy(clients.servicePrincipal(tenantId), AzureClients.ARM_DEFAULT_SCOPE))
                .build();
        String url = clients.armEndpoint() + "providers/Microsoft.ManagementPartner/partners/"
                + URLEncoder.encode(partnerId, StandardCharsets.UTF_8) + "?api-version=" + API_VERSION;
        HttpRequest request = new HttpRequest(HttpMethod.PUT, url)
                .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json").setBody("{}");
        try (HttpResponse response = pipeline.sendSync(request, Context.NONE)) {
            if (response.getStatusCode() / 100 != 2) {
                throw new AzureCallFailedException("PartnerLinkFailed", "HTTP " + response.getStatusCode() + ": "
                        + response.getBodyAsBinaryData().toString(), null);
            }
        }
    }
}
