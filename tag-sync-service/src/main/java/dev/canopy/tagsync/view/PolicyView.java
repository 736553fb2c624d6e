package dev.canopy.tagsync.view;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import dev.canopy.events.policy.SyncPolicy;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.tagsync.config.ViewConfig;
import dev.canopy.tagsync.messaging.PolicyTopicTail;
import dev.canopy.tagsync.repository.PolicyRepository;
import dev.canopy.tagsync.repository.ViewPositionRepository;

/**
 * The sync policy of every subscription as canopy.subscription-policies last said it, and the means to be sure the
 * view is not behind the topic before acting on it (see README, "Policy freshness").
 */
@ApplicationScoped
public class PolicyView {

    private static final Logger LOG = Logger.getLogger(PolicyView.class);
    private static final String TOPIC = CanopyTopic.SUBSCRIPTION_POLICIES.topicName();

    /** For an end offset, the position the view must reach: the offset after the last record below that end. */
    private record Tail(long end, long required) {
    }

    private final PolicyRepository policies;
    private final ViewPositionRepository storedPositions;
    private final PolicyPositions positions;
    private final PolicyTopicTail topicTail;
    private final Duration recheck;
    // The last conclusive probe per partition. An end offset only grows, and a record below it can only disappear
    // (compaction), so a requirement found once for an end stays sufficient: later calls with that end skip the probe.
    private final Map<Integer, Tail> probed = new ConcurrentHashMap<>();

    public PolicyView(PolicyRepository policies, ViewPositionRepository storedPositions, PolicyPositions positions,
            PolicyTopicTail topicTail, ViewConfig config) {
        this.policies = policies;
        this.storedPositions = storedPositions;
        this.positions = positions;
        this.topicTail = topicTail;
        this.recheck = config.policyRecheck();
    }

    /**
     * @param subscriptionId a subscription id (any case)
     * @return the policy of the latest SubscriptionPolicyChanged seen for it; empty if none was seen (or the latest
     *     record was a tombstone or unreadable) — which means "write nothing"
     */
    public Optional<SyncPolicy> policyOf(String subscriptionId) {
        return policies.policyOf(subscriptionId.toLowerCase(Locale.ROOT));
    }

    /**
     * Returns once this view holds every record canopy.subscription-policies had when the call began: its committed
     * position is at least the topic's end offset (last stable offset) on every partition, where offsets that hold no
     * record (compacted away, transaction markers, aborted records) need not be reached. Cheap when caught up: one
     * ListOffsets request. Call it outside a long transaction, then read {@link #policyOf}.
     *
     * @throws PolicyViewBehindException if that is not confirmed within {@code timeout} (or Kafka cannot be asked)
     */
    public void awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, Long> ends;
        try {
            ends = topicTail.endOffsets(timeout);
        } catch (KafkaException e) {
            throw new PolicyViewBehindException("cannot read the end offsets of " + TOPIC + ": " + e.getMessage(), e);
        }
        Map<Integer, Long> required = new HashMap<>();
        ends.forEach((partition, end) -> {
            Tail tail = probed.get(partition);
            required.put(partition, tail != null && tail.end() == end ? tail.required() : end);
        });
        try {
            Map<Integer, Long> behind = positions.awaitReached(required, 0);
            Set<Integer> settled = new HashSet<>();
            while (!behind.isEmpty()) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new PolicyViewBehindException(describe(timeout, behind, required));
                }
                refreshFromDatabase();
                behind = positions.awaitReached(required, Math.min(deadline, System.nanoTime() + recheck.toNanos()));
                for (int partition : behind.keySet()) {
                    if (!settled.contains(partition) && probe(partition, ends.get(partition), behind.get(partition),
                            required, deadline)) {
                        settled.add(partition);
                    }
                }
                behind = positions.awaitReached(required, 0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolicyViewBehindException("interrupted while waiting for the policy view", e);
        }
    }

    // Partitions another instance consumes advance only in the database; ours wake the waiters at once. A failed
    // read changes nothing: the wait goes on and, if the database stays away, ends in PolicyViewBehindException.
    private void refreshFromDatabase() {
        try {
            storedPositions.positions(TOPIC).forEach(positions::advance);
        } catch (RuntimeException e) {
            LOG.debugf("could not read the policy view's positions: %s", e.getMessage());
        }
    }

    // Still short after a recheck interval: find out whether records really lie between the view and the end, and if
    // not, lower the requirement to what is there. True once the tail is known exactly.
    private boolean probe(int partition, long end, long position, Map<Integer, Long> required, long deadline) {
        OptionalLong needed;
        try {
            needed = topicTail.positionAfterLastRecord(partition, position, end,
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (KafkaException e) {
            return false;
        }
        if (needed.isEmpty()) {
            return false;
        }
        required.put(partition, needed.getAsLong());
        probed.put(partition, new Tail(end, needed.getAsLong()));
        return true;
    }

    private static String describe(Duration timeout, Map<Integer, Long> behind, Map<Integer, Long> required) {
        return "the policy view is behind " + TOPIC + " after " + timeout + ": " + behind.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> "partition " + e.getKey() + " at " + e.getValue() + " of " + required.get(e.getKey()))
                .collect(Collectors.joining(", "));
    }
}
