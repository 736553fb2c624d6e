package dev.canopy.emulator.bench;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.EmulatorOptions;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.world.SyntheticWorld;
import dev.canopy.emulator.world.WorldSpec;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark (a main class, not a test): prints the in-process start time and how many ARM list-page requests per
 * second the emulator serves on this machine. Run with the test classpath:
 * {@code java -cp target/test-classes:target/classes:<deps> dev.canopy.emulator.bench.EmulatorBenchmark [seconds] [threads]}.
 */
public final class EmulatorBenchmark {

    private EmulatorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;

        long t0 = System.nanoTime();
        try (AzureEmulator first = AzureEmulator.start()) {
            System.out.printf("start (first in JVM, default world from samples): %d ms at %s%n",
                    (System.nanoTime() - t0) / 1_000_000, first.baseUrl());
        }
        long t1 = System.nanoTime();
        try (AzureEmulator second = AzureEmulator.start()) {
            System.out.printf("start (again, default world): %d ms%n", (System.nanoTime() - t1) / 1_000_000);
        }

        WorldSpec world = SyntheticWorld.generate(new SyntheticWorld.Parameters(7, 2, 2, 10, 2_000, 1,
                LocalDate.of(2024, 9, 1), "USD", true));
        long t2 = System.nanoTime();
        try (AzureEmulator emulator = AzureEmulator.start(EmulatorOptions.defaults().withWorld(world)
                .withLimits(LimitSettings.off()))) {
            System.out.printf("start (synthetic world, %d resources): %d ms%n", world.resources().size(),
                    (System.nanoTime() - t2) / 1_000_000);
            String tenant = world.tenants().get(1).tenantId();
            String sub = world.subscriptions().get(0).subscriptionId();
            String token = emulator.tokens().appToken(tenant);
            String url = emulator.baseUrl() + "/subscriptions/" + sub + "/resources?api-version=2021-04-01&$top=100";
            run(emulator, url, token, threads, 2);  // warm-up
            double rate = run(emulator, url, token, threads, seconds);
            System.out.printf("list-page requests (100 resources each, %d threads, %d s): %.0f requests/s%n", threads, seconds, rate);
        }
    }

    /** @return requests per second over a bounded window */
    private static double run(AzureEmulator emulator, String url, String token, int threads, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<Integer>> counts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            counts.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().sslContext(emulator.sslContext()).version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
                int n = 0;
                while (System.nanoTime() < end) {
                    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("status " + r.statusCode());
                    }
                    n++;
                }
                return n;
            }));
        }
        int total = 0;
        for (Future<Integer> f : counts) {
            total += f.get();
        }
        pool.shutdown();
        return total / (double) seconds;
    }
}
