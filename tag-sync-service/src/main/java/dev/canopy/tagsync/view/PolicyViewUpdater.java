package dev.canopy.tagsync.view;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.canopy.events.CanopyEvent;
import dev.canopy.events.SubscriptionPolicyChanged;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.tagsync.repository.PolicyRepository;

/** Keeps {@link PolicyView} in step with canopy.subscription-policies (fed by the {@code policies-in} channel). */
@ApplicationScoped
public class PolicyViewUpdater implements ViewUpdater {

    private static final Logger LOG = Logger.getLogger(PolicyViewUpdater.class);

    private final PolicyRepository policies;
    private final PolicyPositions positions;

    public PolicyViewUpdater(PolicyRepository policies, PolicyPositions positions) {
        this.policies = policies;
        this.positions = positions;
    }

    @Override
    public CanopyTopic topic() {
        return CanopyTopic.SUBSCRIPTION_POLICIES;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CanopyEvent event) {
        SubscriptionPolicyChanged changed = (SubscriptionPolicyChanged) event;
        policies.put(changed);
        LOG.infof("subscription %s: policy %s (was %s), event %s", changed.subscriptionId(), changed.policy(),
                changed.previousPolicy(), changed.eventId());
    }

    /** A deleted policy is an unknown one: write nothing, as for a subscription never seen. */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void tombstone(String key) {
        forget(key);
    }

    /**
     * The newest record of the subscription could not be read, so the policy stored before it may be outdated (a
     * policy from a newer consent-service, say). Forgetting it fails safe — nothing is written — while keeping it
     * could let an edit through that the newest policy forbids.
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void deadLettered(String key) {
        forget(key);
    }

    @Override
    public void committed(int partition, long nextOffset) {
        positions.advance(partition, nextOffset);
    }

    private void forget(String key) {
        if (key != null) {
            policies.forget(key.toLowerCase(Locale.ROOT));
            LOG.infof("subscription %s: policy unknown now", key);
        }
    }
}
