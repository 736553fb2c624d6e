package dev.canopy.events.topic;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.ResourceDeleted;
import dev.canopy.events.ResourceSnapshot;
import dev.canopy.events.SpendDailyTotal;
import dev.canopy.events.SpendSnapshot;
import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.SubscriptionsAdded;
import dev.canopy.events.TagEditOutcome;
import dev.canopy.events.TagEditRequested;
import dev.canopy.events.TagSnapshot;
import dev.canopy.events.TenantOffboarded;
import dev.canopy.events.TenantOnboarded;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every Canopy event type: its CloudEvents type name ({@code ce_type}), its record class and its topic. */
public enum EventType {

    TENANT_ONBOARDED("canopy.tenant.onboarded", TenantOnboarded.class, CanopyTopic.TENANTS),
    SUBSCRIPTIONS_ADDED("canopy.tenant.subscriptions-added", SubscriptionsAdded.class, CanopyTopic.TENANTS),
    TENANT_OFFBOARDED("canopy.tenant.offboarded", TenantOffboarded.class, CanopyTopic.TENANTS),
    SUBSCRIPTION_POLICY_CHANGED("canopy.subscription.policy-changed", SubscriptionPolicyChanged.class,
            CanopyTopic.SUBSCRIPTION_POLICIES),
    RESOURCE_SNAPSHOT("canopy.resource.snapshot", ResourceSnapshot.class, CanopyTopic.RESOURCES),
    RESOURCE_DELETED("canopy.resource.deleted", ResourceDeleted.class, CanopyTopic.RESOURCES),
    TAG_SNAPSHOT("canopy.tag.snapshot", TagSnapshot.class, CanopyTopic.TAGS),
    SPEND_SNAPSHOT("canopy.spend.snapshot", SpendSnapshot.class, CanopyTopic.SPEND),
    SPEND_DAILY_TOTAL("canopy.spend-daily.total", SpendDailyTotal.class, CanopyTopic.SPEND_DAILY),
    COLLECTION_RUN_PROGRESS("canopy.collection-run.progress", CollectionRunProgress.class, CanopyTopic.COLLECTION_RUNS),
    TAG_EDIT_REQUESTED("canopy.tag-edit.requested", TagEditRequested.class, CanopyTopic.TAG_EDITS),
    TAG_EDIT_OUTCOME("canopy.tag-edit.outcome", TagEditOutcome.class, CanopyTopic.TAG_EDIT_RESULTS);

    private static final Map<String, EventType> BY_TYPE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::eventClass, Function.identity()));

    private final String typeName;
    private final Class<? extends CanopyEvent> eventClass;
    private final CanopyTopic topic;

    EventType(String typeName, Class<? extends CanopyEvent> eventClass, CanopyTopic topic) {
        this.typeName = typeName;
        this.eventClass = eventClass;
        this.topic = topic;
    }

    /** @return the CloudEvents type, e.g. {@code canopy.tenant.onboarded} */
    public String typeName() {
        return typeName;
    }

    /** @return the record class carrying this type's data */
    public Class<? extends CanopyEvent> eventClass() {
        return eventClass;
    }

    /** @return the topic events of this type are published to */
    public CanopyTopic topic() {
        return topic;
    }

    /**
     * @param typeName a {@code ce_type} header value
     * @return the type, or empty if Canopy has no such type (a newer producer, or a foreign message)
     */
    public static Optional<EventType> find(String typeName) {
        return Optional.ofNullable(typeName).map(BY_TYPE_NAME::get);
    }

    /**
     * @param typeName a {@code ce_type} header value
     * @return the type
     * @throws IllegalArgumentException naming the unknown type and the known ones
     */
    public static EventType fromTypeName(String typeName) {
        return find(typeName).orElseThrow(() -> new IllegalArgumentException("Unknown Canopy event type '" + typeName
                + "'; known types: " + String.join(", ", Arrays.stream(values()).map(EventType::typeName).toList())));
    }

    /**
     * @param eventClass a record class
     * @return the type of that class
     * @throws IllegalArgumentException if the class is not a Canopy event record
     */
    public static EventType of(Class<?> eventClass) {
        EventType type = BY_CLASS.get(eventClass);
        if (type == null) {
            throw new IllegalArgumentException("No Canopy event type for class " + eventClass.getName());
        }
        return type;
    }
}
