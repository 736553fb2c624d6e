package dev.canopy.emulator;

import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.world.SampleWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One emulator (default world, small pages, no throttling unless a test turns it on) per test class. */
abstract class ArmTestBase {

    static final String TREY = SampleWorld.TREY_TENANT_ID;
    static final String RND = SampleWorld.SUB_RND;
    static final String RES = "api-version=2021-04-01";
    static final String AUTHZ = "api-version=2022-04-01";
    static final String COST = "api-version=2025-03-01";

    static AzureEmulator emulator;
    static EmulatorClient client;

    @BeforeAll
    static void start() {
        emulator = AzureEmulator.start(EmulatorOptions.defaults().withPageSize(5).withCostPageSize(50)
                .withLimits(LimitSettings.off()));
        client = new EmulatorClient(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void resetWorld() {
        emulator.reset();
        emulator.limits().configure(LimitSettings.off());
    }

    static String admin() {
        return emulator.tokens().userToken(SampleWorld.DEMO_ADMIN);
    }
}
