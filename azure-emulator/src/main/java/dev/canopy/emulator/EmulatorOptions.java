package dev.canopy.emulator;

import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.world.WorldSpec;

import java.nio.file.Path;

/**
 * How to start the emulator. Defaults: a random port, the default world from the samples, Azure's limits on,
 * page sizes of 1000, trust store in a fresh temp folder.
 *
 * @param port 0 for a random free port
 * @param world the world to serve; null for {@link dev.canopy.emulator.world.SampleWorld}
 * @param trustStoreDir where {@code azure-emulator-truststore.p12} is written; null for a temp folder
 * @param seed seeds object ids, token lifetimes and fault decisions
 * @param pageSize default page size of ARM lists (resources, groups, subscriptions, role assignments)
 * @param costPageSize rows per Cost Management page
 * @param threads server worker threads
 */
public record EmulatorOptions(int port, WorldSpec world, Path trustStoreDir, long seed, LimitSettings limits,
                              int pageSize, int costPageSize, int threads) {

    public static EmulatorOptions defaults() {
        return new EmulatorOptions(0, null, null, 1L, LimitSettings.azure(), 1000, 1000, 16);
    }

    public EmulatorOptions withPort(int newPort) {
        return new EmulatorOptions(newPort, world, trustStoreDir, seed, limits, pageSize, costPageSize, threads);
    }

    public EmulatorOptions withWorld(WorldSpec newWorld) {
        return new EmulatorOptions(port, newWorld, trustStoreDir, seed, limits, pageSize, costPageSize, threads);
    }

    public EmulatorOptions withTrustStoreDir(Path dir) {
        return new EmulatorOptions(port, world, dir, seed, limits, pageSize, costPageSize, threads);
    }

    public EmulatorOptions withSeed(long newSeed) {
        return new EmulatorOptions(port, world, trustStoreDir, newSeed, limits, pageSize, costPageSize, threads);
    }

    public EmulatorOptions withLimits(LimitSettings newLimits) {
        return new EmulatorOptions(port, world, trustStoreDir, seed, newLimits, pageSize, costPageSize, threads);
    }

    public EmulatorOptions withPageSize(int newPageSize) {
        return new EmulatorOptions(port, world, trustStoreDir, seed, limits, newPageSize, costPageSize, threads);
    }

    public EmulatorOptions withCostPageSize(int newCostPageSize) {
        return new EmulatorOptions(port, world, trustStoreDir, seed, limits, pageSize, newCostPageSize, threads);
    }

    public EmulatorOptions withThreads(int newThreads) {
        return new EmulatorOptions(port, world, trustStoreDir, seed, limits, pageSize, costPageSize, newThreads);
    }
}
