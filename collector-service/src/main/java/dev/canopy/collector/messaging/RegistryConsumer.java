package dev.canopy.collector.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.canopy.collector.service.RegistryEventHandler;
import dev.canopy.events.CanopyEvent;
import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.messaging.inbox.EventRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Kafka edge of the registry: decodes tenant and policy events and hands them to the handler. A record that is wrong
 * in itself (it cannot be decoded, or is of an unexpected type) throws, and the channel's dead-letter-queue strategy
 * moves it to {@code <topic>.dlq} at once; any other failure the handler retries until the event is applied, and the
 * ordered channel waits for it meanwhile.
 */
@ApplicationScoped
public class RegistryConsumer {

    private final RegistryEventHandler handler;

    public RegistryConsumer(RegistryEventHandler handler) {
        this.handler = handler;
    }

    @Incoming("tenants-in")
    @Blocking(ordered = true)
    public void onTenantEvent(ConsumerRecord<String, byte[]> record) {
        CanopyEvent event = EventRecords.decode(record);
        handler.onTenantEvent(event, record.partition());
    }

    @Incoming("policies-in")
    @Blocking(ordered = true)
    public void onPolicyEvent(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone on the policy topic means nothing to the collector (offboarding says it)
        }
        CanopyEvent event = EventRecords.decode(record);
        if (!(event instanceof SubscriptionPolicyChanged changed)) {
            throw new IllegalArgumentException("unexpected event type " + event.type() + " on the policy topic");
        }
        handler.onPolicyChanged(changed);
    }
}
