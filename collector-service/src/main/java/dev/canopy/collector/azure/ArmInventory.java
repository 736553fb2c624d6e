package dev.canopy.collector.azure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Context;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceExpandedInner;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import com.azure.resourcemanager.resources.models.Subscription;

/** Reads one subscription's state, resource groups and resources (with tags) from ARM, page by page. */
public final class ArmInventory {

    /** One listed item, resource group or resource, as ARM returned it. */
    public record Item(String id, String name, String type, String location, String sku, String managedBy,
                       Map<String, String> tags) {
    }

    private final ResourceManager.Authenticated arm;
    private final String subscriptionId;
    private final Integer pageSize;

    public ArmInventory(ResourceManager.Authenticated arm, String subscriptionId, Optional<Integer> pageSize) {
        this.arm = arm;
        this.subscriptionId = subscriptionId;
        this.pageSize = pageSize.orElse(null);
    }

    /**
     * The subscription as ARM reports it.
     *
     * @param state Enabled, Warned, PastDue, Disabled or Deleted
     * @param tags the subscription's own tags (they matter for allocation like a group's)
     */
    public record SubscriptionInfo(String id, String state, Map<String, String> tags) {
    }

    /** Reads the subscription itself. */
    public SubscriptionInfo subscription() {
        try {
            Subscription subscription = arm.subscriptions().getById(subscriptionId);
            return new SubscriptionInfo(subscription.innerModel().id() == null ? "/subscriptions/" + subscriptionId
                    : subscription.innerModel().id(), subscription.state() == null ? "Enabled" : subscription.state().toString(),
                    subscription.innerModel().tags());
        } catch (RuntimeException e) {
            throw AzureCallException.of("reading subscription " + subscriptionId, e);
        }
    }

    /** Lists the resource groups; each page goes to {@code onPage} before the next is fetched. */
    public void resourceGroups(Consumer<List<Item>> onPage) {
        try {
            for (PagedResponse<ResourceGroupInner> page : arm.withSubscription(subscriptionId).serviceClient()
                    .getResourceGroups().list(null, pageSize, Context.NONE).iterableByPage()) {
                handle(onPage, page.getValue().stream().map(g -> new Item(g.id(), g.name(), g.type(), g.location(),
                        null, g.managedBy(), g.tags())).toList());
            }
        } catch (PageHandlerFailed e) {
            throw e.cause;
        } catch (RuntimeException e) {
            throw AzureCallException.of("listing resource groups of " + subscriptionId, e);
        }
    }

    /** Lists the resources with their tags; each page goes to {@code onPage} before the next is fetched. */
    public void resources(Consumer<List<Item>> onPage) {
        try {
            for (PagedResponse<GenericResourceExpandedInner> page : arm.withSubscription(subscriptionId).serviceClient()
                    .getResources().list(null, null, pageSize, Context.NONE).iterableByPage()) {
                handle(onPage, page.getValue().stream().map(r -> new Item(r.id(), r.name(), r.type(), r.location(),
                        r.sku() == null ? null : r.sku().name(), r.managedBy(), r.tags())).toList());
            }
        } catch (PageHandlerFailed e) {
            throw e.cause;
        } catch (RuntimeException e) {
            throw AzureCallException.of("listing resources of " + subscriptionId, e);
        }
    }

    // A failure of our own page handling (database, Kafka) is not an Azure failure: it must not read as a partial run.
    private static void handle(Consumer<List<Item>> onPage, List<Item> items) {
        try {
            onPage.accept(items);
        } catch (RuntimeException e) {
            throw new PageHandlerFailed(e);
        }
    }

    private static final class PageHandlerFailed extends RuntimeException {
        private final RuntimeException cause;

        PageHandlerFailed(RuntimeException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
