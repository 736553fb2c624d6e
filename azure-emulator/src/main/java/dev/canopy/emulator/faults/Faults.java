package dev.canopy.emulator.faults;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The switchable fault rules and the seeded random source that decides which request gets which fault, so a
 * test run with the same seed and request order sees the same faults.
 */
public final class Faults {

    /** What to do with one request. */
    public record Decision(long latencyMillis, boolean drop, int errorStatus, FaultRule.AsyncTagWrites asyncTagWrites) {
        public static final Decision NONE = new Decision(0, false, 0, FaultRule.AsyncTagWrites.NONE);
    }

    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final long seed;
    private Random random;

    public Faults(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** Adds a rule (rules for the same route add up: the largest latency and rates win). */
    public void add(FaultRule rule) {
        rules.add(rule);
    }

    /** Removes every rule and restarts the random sequence from the seed. */
    public synchronized void clear() {
        rules.clear();
        random = new Random(seed);
    }

    public List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    /** Decides the faults for one request to {@code routeName}. */
    public synchronized Decision decide(String routeName) {
        long latency = 0;
        double drop = 0;
        double error = 0;
        int status = 0;
        FaultRule.AsyncTagWrites async = FaultRule.AsyncTagWrites.NONE;
        boolean any = false;
        for (FaultRule rule : rules) {
            if (rule.matches(routeName)) {
                any = true;
                latency = Math.max(latency, rule.latencyMillis());
                drop = Math.max(drop, rule.dropRate());
                if (rule.errorRate() > error) {
                    error = rule.errorRate();
                    status = rule.errorStatus();
                }
                if (rule.asyncTagWrites() != FaultRule.AsyncTagWrites.NONE) {
                    async = rule.asyncTagWrites();
                }
            }
        }
        if (!any) {
            return Decision.NONE;
        }
        boolean dropIt = drop > 0 && random.nextDouble() < drop;
        boolean failIt = !dropIt && error > 0 && random.nextDouble() < error;
        return new Decision(latency, dropIt, failIt ? status : 0, async);
    }
}
