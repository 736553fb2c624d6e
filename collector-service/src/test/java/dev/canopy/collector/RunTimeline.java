package dev.canopy.collector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import dev.canopy.events.CollectionRunProgress;
import dev.canopy.events.CollectionRunProgress.Phase;
import dev.canopy.events.topic.CanopyTopic;
import dev.canopy.testsupport.kafka.EventTopicClient;
import dev.canopy.testsupport.kafka.ReceivedRecord;

/**
 * The collection runs of some subscriptions as canopy.collection-runs tells them: when each started, when its last
 * page was done, when and how it ended; read whole each time, so it is a snapshot of the topic.
 */
public final class RunTimeline {

    /**
     * One run.
     *
     * @param lastPage when its last list page was done (null before the first page)
     * @param ended when it ended (null while it goes on)
     * @param end FINISHED, PARTIAL or ACCESS_LOST (null while it goes on)
     * @param reason why it ended PARTIAL or ACCESS_LOST, as its end event says (null otherwise)
     * @param resourcesSeen resources and groups seen, as of its latest event
     */
    public record Run(UUID runId, String subscriptionId, Instant started, Instant lastPage, Instant ended, Phase end,
                      String reason, long pagesDone, long resourcesSeen) {

        public boolean hasEnded() {
            return ended != null;
        }
    }

    private final List<Run> runs;

    private RunTimeline(List<Run> runs) {
        this.runs = runs;
    }

    /** Reads the topic from the beginning and keeps the runs of the given subscriptions (all when null). */
    public static RunTimeline read(EventTopicClient kafka, Collection<String> subscriptionIds) {
        Set<String> wanted = subscriptionIds == null ? null : new HashSet<>(subscriptionIds);
        Map<UUID, List<CollectionRunProgress>> byRun = new HashMap<>();
        for (ReceivedRecord record : kafka.readAll(CanopyTopic.COLLECTION_RUNS.topicName(), Duration.ofSeconds(60))) {
            if (record.isTombstone() || (wanted != null && !wanted.contains(record.key()))) {
                continue;
            }
            CollectionRunProgress p = record.event(CollectionRunProgress.class);
            byRun.computeIfAbsent(p.runId(), id -> new ArrayList<>()).add(p);
        }
        List<Run> runs = new ArrayList<>();
        for (List<CollectionRunProgress> events : byRun.values()) {
            CollectionRunProgress started = events.stream().filter(p -> p.phase() == Phase.STARTED).findFirst()
                    .orElse(null);
            if (started == null) {
                continue; // older than the topic's retention: not a run of this test
            }
            Instant lastPage = null;
            Instant ended = null;
            Phase end = null;
            String reason = null;
            CollectionRunProgress latest = started;
            for (CollectionRunProgress p : events) {
                if (p.phase() == Phase.PAGE_DONE && (lastPage == null || p.occurredAt().isAfter(lastPage))) {
                    lastPage = p.occurredAt();
                } else if (p.phase() != Phase.STARTED && p.phase() != Phase.PAGE_DONE) {
                    ended = p.occurredAt();
                    end = p.phase();
                    reason = p.reason();
                }
                if (p.resourcesSeen() >= latest.resourcesSeen()) {
                    latest = p;
                }
            }
            runs.add(new Run(started.runId(), started.subscriptionId(), started.occurredAt(), lastPage, ended, end,
                    reason, latest.pagesDone(), latest.resourcesSeen()));
        }
        runs.sort(Comparator.comparing(Run::started));
        return new RunTimeline(runs);
    }

    /**
     * Reads the topic again and again until the runs satisfy {@code done}, and returns that timeline.
     *
     * @throws org.awaitility.core.ConditionTimeoutException when they do not within {@code within}
     */
    public static RunTimeline await(EventTopicClient kafka, Collection<String> subscriptionIds,
            Predicate<RunTimeline> done, Duration within) {
        AtomicReference<RunTimeline> last = new AtomicReference<>();
        Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
            last.set(read(kafka, subscriptionIds));
            return done.test(last.get());
        });
        return last.get();
    }

    /** Every run, in the order they started. */
    public List<Run> runs() {
        return runs;
    }

    /** The runs of one subscription, in the order they started. */
    public List<Run> runsOf(String subscriptionId) {
        return runs.stream().filter(r -> r.subscriptionId().equals(subscriptionId)).toList();
    }

    /** The runs that started at or after a moment. */
    public List<Run> startedSince(Instant since) {
        return runs.stream().filter(r -> !r.started().isBefore(since)).toList();
    }

    /** True when every one of the subscriptions has at least {@code n} ended runs started at or after {@code since}. */
    public boolean eachHasEndedRuns(Collection<String> subscriptionIds, int n, Instant since) {
        return subscriptionIds.stream().allMatch(sub -> runsOf(sub).stream()
                .filter(r -> r.hasEnded() && !r.started().isBefore(since)).count() >= n);
    }

    /** True when no run is going on. */
    public boolean allEnded() {
        return runs.stream().allMatch(Run::hasEnded);
    }
}
