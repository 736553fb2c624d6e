package dev.canopy.collector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.canopy.emulator.limits.LimitSettings;

/** The benchmark's floor for Cost Management queries, checked against limits worked out by hand. */
class CostLimitFloorTest {

    private static final LimitSettings AZURE = LimitSettings.azure();

    @Test
    void twelveQueriesGoAtOnceAndTheThirteenthWaitsTenSeconds() {
        assertThat(CostLimitFloor.minimumSpan(AZURE, distinctScopes(12))).isEqualTo(Duration.ZERO);
        assertThat(CostLimitFloor.minimumSpan(AZURE, distinctScopes(13))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theMinuteWindowHoldsSixtyQueriesSoFourHundredTakeSixMinutesAndAHalf() {
        // Blocks of 12 every 10 s reach 60 by second 40; the 61st waits for second 60. Query 400 is the 40th
        // of the seventh minute: 6 × 60 s + 3 × 10 s.
        assertThat(CostLimitFloor.minimumSpan(AZURE, distinctScopes(61))).isEqualTo(Duration.ofSeconds(60));
        assertThat(CostLimitFloor.minimumSpan(AZURE, distinctScopes(400))).isEqualTo(Duration.ofSeconds(390));
    }

    @Test
    void oneScopeTakesFourQueriesAMinute() {
        assertThat(CostLimitFloor.minimumSpan(AZURE, Collections.nCopies(5, "sub"))).isEqualTo(Duration.ofSeconds(60));
    }

    private static List<String> distinctScopes(int n) {
        return IntStream.range(0, n).mapToObj(i -> "sub-" + i).toList();
    }
}
