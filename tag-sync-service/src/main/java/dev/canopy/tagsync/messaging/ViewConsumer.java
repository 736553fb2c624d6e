package dev.canopy.tagsync.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.canopy.tagsync.view.CollectedTagsUpdater;
import dev.canopy.tagsync.view.PolicyViewUpdater;
import dev.canopy.tagsync.view.TenantDirectoryUpdater;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Kafka edge of the views: one channel per topic, records handed one at a time, in order, to
 * {@link ViewRecordProcessor}. Whole messages rather than payloads, because a dead-lettered record is acknowledged only
 * after the dead-letter topic has it, and the view moves past it only then.
 */
@ApplicationScoped
public class ViewConsumer {

    private final ViewRecordProcessor processor;
    private final PolicyViewUpdater policies;
    private final TenantDirectoryUpdater tenants;
    private final CollectedTagsUpdater tags;

    public ViewConsumer(ViewRecordProcessor processor, PolicyViewUpdater policies, TenantDirectoryUpdater tenants,
            CollectedTagsUpdater tags) {
        this.processor = processor;
        this.policies = policies;
        this.tenants = tenants;
        this.tags = tags;
    }

    @Incoming("policies-in")
    @Blocking(ordered = true)
    public CompletionStage<Void> onPolicyRecord(Message<byte[]> record) {
        return processor.process(record, policies);
    }

    @Incoming("tenants-in")
    @Blocking(ordered = true)
    public CompletionStage<Void> onTenantRecord(Message<byte[]> record) {
        return processor.process(record, tenants);
    }

    @Incoming("tags-in")
    @Blocking(ordered = true)
    public CompletionStage<Void> onTagRecord(Message<byte[]> record) {
        return processor.process(record, tags);
    }
}
