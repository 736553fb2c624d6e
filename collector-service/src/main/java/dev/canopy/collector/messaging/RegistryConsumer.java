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
 * Kafka edge of the registry: decodes tenant and policy events and hands them to the handler. A record that cannot
 * be decoded or handled throws, and the channel's dead-letter-queue strategy moves it to {@code <topic>.dlq}.
 */
@ApplicationScoped
public class RegistryConsumer {

    private static final int ATTEMPTS = 3;

    private final RegistryEventHandler handler;

    public RegistryConsumer(RegistryEventHandler handler) {
        this.handler = handler;
    }

    @Incoming("tenants-in")
    @Blocking(ordered = true)
    public void onTenantEvent(ConsumerRecord<String, byte[]> record) {
        CanopyEvent event = EventRecords.decode(record);
        withRetries(() -> handler.onTenantEvent(event, record.partition()));
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
        withRetries(() -> handler.onPolicyChanged(changed));
    }

    // A database or broker hiccup is retried a few times in fresh transactions; only then is the event dead-lettered.
    // An event that is wrong in itself (IllegalArgumentException) goes to the dead-letter topic at once.
    private static void withRetries(Runnable handling) {
        for (int attempt = 1; ; attempt++) {
            try {
                handling.run();
                return;
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
