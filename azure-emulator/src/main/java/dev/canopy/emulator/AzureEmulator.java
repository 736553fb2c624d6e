package dev.canopy.emulator;

import dev.canopy.emulator.arm.ArmGate;
import dev.canopy.emulator.arm.AuthorizationApi;
import dev.canopy.emulator.arm.CostApi;
import dev.canopy.emulator.arm.PartnerApi;
import dev.canopy.emulator.arm.Rbac;
import dev.canopy.emulator.arm.ResourcesApi;
import dev.canopy.emulator.arm.SubscriptionsApi;
import dev.canopy.emulator.arm.TagsApi;
import dev.canopy.emulator.control.ControlApi;
import dev.canopy.emulator.entra.EntraApi;
import dev.canopy.emulator.entra.PlatformIssuerApi;
import dev.canopy.emulator.entra.TokenService;
import dev.canopy.emulator.faults.Faults;
import dev.canopy.emulator.limits.LimitSettings;
import dev.canopy.emulator.limits.RateLimiter;
import dev.canopy.emulator.server.EmulatorServer;
import dev.canopy.emulator.server.RequestLog;
import dev.canopy.emulator.server.Route;
import dev.canopy.emulator.server.EmulatorIdentity;
import dev.canopy.emulator.server.TlsMaterial;
import dev.canopy.emulator.world.EmulatorClock;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.emulator.world.World;
import dev.canopy.emulator.world.WorldFiles;
import dev.canopy.emulator.world.WorldSpec;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The Entra ID + Azure Resource Manager emulator: start it in-process ({@link #start(EmulatorOptions)}) or as a
 * process ({@link #main(String[])}), point clients at {@link #baseUrl()} over HTTPS with {@link #sslContext()} or
 * the trust store at {@link #trustStorePath()}.
 */
public final class AzureEmulator implements AutoCloseable {

    /** File name of the exported PKCS12 trust store. */
    public static final String TRUST_STORE_FILE = "azure-emulator-truststore.p12";

    private final EmulatorServer server;
    private final TlsMaterial tls;
    private final Path trustStorePath;
    private final World world;
    private final EmulatorClock clock;
    private final RequestLog requestLog;
    private final RateLimiter limiter;
    private final Faults faults;
    private final EmulatorTokens tokens;
    private final LimitSettings initialLimits;
    private volatile WorldSpec baseWorld;

    private AzureEmulator(EmulatorOptions options) throws IOException {
        // The keys and certificates are made at build time (EmulatorIdentity): generating them here took most of
        // a second. Building the sample world (CSV parsing) and setting up TLS are the slow parts of a cold start; they
        // share nothing, so the world is built on a thread of its own meanwhile.
        CompletableFuture<WorldSpec> spec = options.world() != null
                ? CompletableFuture.completedFuture(options.world())
                : CompletableFuture.supplyAsync(SampleWorld::build, runnable -> new Thread(runnable, "sample-world").start());
        clock = new EmulatorClock();
        EmulatorIdentity identity = EmulatorIdentity.load();
        tls = identity.tls();
        SSLContext serverContext = tls.serverContext();
        TokenService tokenService = new TokenService(identity.entraKey(), identity.platformKey(), clock, options.seed());
        baseWorld = spec.join();
        world = new World(baseWorld, clock, options.seed());
        requestLog = new RequestLog(100_000);
        initialLimits = options.limits();
        limiter = new RateLimiter(options.limits(), clock);
        faults = new Faults(options.seed());
        ArmGate gate = new ArmGate(world, tokenService, new Rbac(world), limiter);

        List<Route> routes = new ArrayList<>();
        // The exact emulator and issuer prefixes first, then ARM, then Entra's "/{tenant}/..." patterns.
        routes.addAll(new ControlApi(world, requestLog, limiter, faults, this::reset, this::loadWorld,
                (username, roles) -> roles == null ? tokens().platformToken(username)
                        : tokens().platformToken(username, roles, Duration.ofHours(1))).routes());
        routes.addAll(new PlatformIssuerApi(world, tokenService).routes());
        routes.addAll(new SubscriptionsApi(gate, options.pageSize()).routes());
        routes.addAll(new ResourcesApi(gate, options.pageSize()).routes());
        routes.addAll(new TagsApi(gate).routes());
        routes.addAll(new AuthorizationApi(gate, options.pageSize()).routes());
        routes.addAll(new CostApi(gate, options.costPageSize()).routes());
        routes.addAll(new PartnerApi(gate).routes());
        routes.addAll(new EntraApi(world, tokenService, clock).routes());

        server = new EmulatorServer(options.port(), serverContext, options.threads(), routes, faults, requestLog, clock);
        Path dir = options.trustStoreDir() != null ? options.trustStoreDir() : Files.createTempDirectory("azure-emulator");
        trustStorePath = identity.writeTrustStore(dir.resolve(TRUST_STORE_FILE));
        tokens = new EmulatorTokens(world, tokenService, server.baseUrl());
        server.start();
    }

    /** Starts an emulator on a random port with the default world. */
    public static AzureEmulator start() {
        return start(EmulatorOptions.defaults());
    }

    public static AzureEmulator start(EmulatorOptions options) {
        try {
            return new AzureEmulator(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Azure emulator", e);
        }
    }

    /** @return e.g. {@code https://127.0.0.1:41234} — the Entra authority host and the ARM endpoint */
    public String baseUrl() {
        return server.baseUrl();
    }

    public int port() {
        return server.port();
    }

    /** @return the Entra authority of a tenant, e.g. {@code https://127.0.0.1:41234/{tenantId}} */
    public String authority(String tenantId) {
        return baseUrl() + "/" + tenantId;
    }

    /** @return the ARM endpoint with a trailing slash (as the Azure SDK's environment expects) */
    public String armEndpoint() {
        return baseUrl() + "/";
    }

    /** @return the platform issuer URL ({@code quarkus.oidc.auth-server-url} for Canopy's services) */
    public String platformIssuer() {
        return PlatformIssuerApi.issuer(baseUrl());
    }

    /** @return the PKCS12 trust store holding the emulator's certificate (password {@link #trustStorePassword()}) */
    public Path trustStorePath() {
        return trustStorePath;
    }

    public String trustStorePassword() {
        return TlsMaterial.TRUST_STORE_PASSWORD;
    }

    /** @return a client SSLContext that trusts the emulator */
    public SSLContext sslContext() {
        return tls.clientContext();
    }

    public World world() {
        return world;
    }

    public EmulatorClock clock() {
        return clock;
    }

    public RequestLog requestLog() {
        return requestLog;
    }

    /** @return the throttling switch: {@code limits().configure(LimitSettings.off())} */
    public RateLimiter limits() {
        return limiter;
    }

    /** @return the fault rules: {@code faults().add(new FaultRule(...))} */
    public Faults faults() {
        return faults;
    }

    public EmulatorTokens tokens() {
        return tokens;
    }

    /** @return a headless "browser" for the consent pages */
    public EmulatorBrowser browser() {
        return new EmulatorBrowser(sslContext());
    }

    /** Back to the world the emulator started with (or last loaded); clears the log, faults and buckets. */
    public void reset() {
        world.load(baseWorld);
        requestLog.clear();
        faults.clear();
        limiter.configure(initialLimits);
    }

    /** Replaces the world (and the state {@link #reset()} returns to). */
    public void loadWorld(WorldSpec spec) {
        baseWorld = spec;
        world.load(spec);
    }

    private void loadWorld(byte[] json) {
        loadWorld(WorldFiles.read(json));
    }

    @Override
    public void close() {
        server.close();
    }

    /**
     * Runs the emulator as a process: {@code [--port N] [--world world.json] [--trust-store-dir DIR]}. Writes the
     * trust store to DIR and prints the base URL; stops on SIGTERM / Ctrl-C.
     */
    public static void main(String[] args) throws Exception {
        EmulatorOptions options = EmulatorOptions.defaults().withPort(8443).withTrustStoreDir(Path.of("."));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> options = options.withPort(Integer.parseInt(args[++i]));
                case "--world" -> options = options.withWorld(WorldFiles.read(Path.of(args[++i])));
                case "--trust-store-dir" -> options = options.withTrustStoreDir(Path.of(args[++i]));
                case "--no-limits" -> options = options.withLimits(LimitSettings.off());
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--port N] [--world world.json] [--trust-store-dir DIR] [--no-limits]");
            }
        }
        long started = System.nanoTime();
        AzureEmulator emulator = start(options);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stop.countDown();
        }));
        System.out.printf("azure-emulator listening on %s (started in %d ms); trust store %s (password %s)%n",
                emulator.baseUrl(), (System.nanoTime() - started) / 1_000_000, emulator.trustStorePath(),
                emulator.trustStorePassword());
        stop.await();
    }
}
