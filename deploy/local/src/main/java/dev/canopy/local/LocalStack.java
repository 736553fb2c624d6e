package dev.canopy.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import dev.canopy.emulator.AzureEmulator;
import dev.canopy.emulator.world.CostEntry;
import dev.canopy.emulator.world.SampleWorld;
import dev.canopy.emulator.world.WorldBuilder;
import dev.canopy.kafkabroker.LocalKafkaBroker;
import dev.canopy.testsupport.kafka.CanopyTopicAdmin;

/**
 * Canopy's local stack: a KRaft Kafka broker from Maven Central jars, the machine's PostgreSQL with a fresh database
 * per service, the Azure emulator over HTTPS with the default world (built from the real cost samples), and the four
 * packaged services over HTTPS, each a process of its own with its log in {@code <state>/logs}. Started and waited for
 * by {@link #start}; stopped by {@link #close()}, or — when {@link #detach() kept} — later by {@link #stop(Path,
 * Progress)} from the pids it recorded.
 */
public final class LocalStack implements AutoCloseable {

    static final String EMULATOR = "azure-emulator";
    static final String KAFKA = "kafka";
    private static final String STATE_FILE = "stack.properties";
    private static final String SERVICE_HEAP = "384m";
    private static final Duration BROKER_READY = Duration.ofSeconds(90);
    private static final Duration EMULATOR_READY = Duration.ofSeconds(60);
    // Four Quarkus apps start together on two shared cores, each migrating its database and joining its groups.
    private static final Duration SERVICES_READY = Duration.ofMinutes(5);
    private static final String HTTPS_TLS = "local-https";
    private static final String EMULATOR_TLS = "azure-emulator";

    private final StackOptions options;
    private final Progress progress;
    private final LocalDatabases databases = new LocalDatabases();
    private final Map<CanopyService, StackProcess> services = new EnumMap<>(CanopyService.class);
    private final LocalDate spendSince;
    private final String consentStateSecret = randomSecret();
    private LocalKafkaBroker broker;
    private StackProcess emulator;
    private LocalTls tls;
    private SSLContext sslContext;
    private HttpClient http;
    private final Thread stopOnExit = new Thread(this::close, "stop-local-stack");
    private volatile boolean stopped;
    // Only a stack that recorded itself may delete the record: a start refused because another stack runs from the same
    // folder must leave that stack's record alone.
    private boolean recorded;

    private LocalStack(StackOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
        this.spendSince = earliestSampleSpendMonth();
    }

    /** Starts everything and waits until every part answers ready; on failure stops what had started. */
    public static LocalStack start(StackOptions options, Progress progress) {
        LocalStack stack = new LocalStack(options, progress);
        // Ctrl-C during a run must not leave the processes behind; detach() takes this back for --keep.
        Runtime.getRuntime().addShutdownHook(stack.stopOnExit);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * The checks a start makes before it changes anything, also run alone by {@code canopy-local preflight} before the
     * build: no stack running from the same state folder, no two parts on one port, no port already taken.
     */
    public static void preflight(StackOptions options) {
        refuseWhenRunning(options);
        options.requireDistinctPorts();
        refuseTakenPorts(options);
    }

    private void startAll() {
        preflight(options);
        prepareStateDir();

        progress.step("PostgreSQL: fresh databases " + databaseNames());
        databases.ensureRunning(progress);
        databases.recreate(databaseNames());

        progress.step("Kafka: a KRaft broker on 127.0.0.1:" + options.kafkaPort());
        broker = LocalKafkaBroker.startDetached(options.stateDir().resolve(KAFKA), options.kafkaPort(), "384m",
                BROKER_READY);
        writeState();
        CanopyTopicAdmin.createAll(bootstrapServers());
        progress.detail("Canopy's topics created; broker log " + broker.workDir().resolve("broker.log"));

        progress.step("Azure emulator: " + emulatorUrl() + " with the sample world (Trey Research, Contoso)");
        startEmulator();

        progress.step("Services: " + options.started().stream().map(s -> s.module() + " " + serviceUrl(s)).toList()
                + (options.omitted().isEmpty() ? "" : "; not started (for dev mode): "
                        + options.omitted().stream().map(CanopyService::module).sorted().toList()));
        for (CanopyService service : options.started()) {
            services.put(service, StackProcess.start(service.module(), serviceCommand(service),
                    logDir().resolve(service.module() + ".log")));
        }
        writeState();
        for (CanopyService service : options.started()) {
            services.get(service).awaitReady(SERVICES_READY, () -> ready(serviceUrl(service) + "/q/health/ready"),
                    this::stopping);
            progress.detail(service.module() + " ready (" + services.get(service).log() + ")");
        }
        // A service that died after an earlier one answered on its URL must not pass for ready.
        for (StackProcess process : services.values()) {
            process.requireAlive();
        }
    }

    // Set once close() begins (a failure, SIGTERM or Ctrl-C): a wait that ends then was interrupted, not timed out.
    private boolean stopping() {
        return stopped;
    }

    // ---------------------------------------------------------------------------------------------------- clients --

    public StackOptions options() {
        return options;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + options.kafkaPort();
    }

    /** The emulator's base URL; 127.0.0.1, because the platform tokens' issuer is named after the host asked. */
    public String emulatorUrl() {
        return "https://127.0.0.1:" + options.emulatorPort();
    }

    /** A service's base URL; localhost, the name Canopy's app in the sample world has its consent callback under. */
    public String serviceUrl(CanopyService service) {
        return serviceUrl(options, service);
    }

    static String serviceUrl(StackOptions options, CanopyService service) {
        return "https://localhost:" + options.port(service);
    }

    /** Trusts the services and the emulator. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** PEM of the certificates to trust, for curl. */
    public Path caPem() {
        return tls.caPem();
    }

    public Path logDir() {
        return options.stateDir().resolve("logs");
    }

    /** Log file of a part of the stack: a service's module name, {@value #EMULATOR} or {@value #KAFKA}. */
    public Path log(String part) {
        return KAFKA.equals(part) ? options.stateDir().resolve(KAFKA).resolve("broker.log") : logDir().resolve(part + ".log");
    }

    /** The first day of the earliest month of the sample spend, which the collector collects back to. */
    public LocalDate spendSince() {
        return spendSince;
    }

    // -------------------------------------------------------------------------------------------------- stopping --

    /** Leaves everything running when this JVM ends ({@code --keep}); {@link #stop(Path, Progress)} stops it later. */
    public void detach() {
        stopped = true;
        removeShutdownHook();
    }

    /** Stops the services, the emulator and the broker (in that order); the databases stay until the next start. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        removeShutdownHook();
        List<Long> left = new ArrayList<>(StackProcess.stopAll(services.values().stream().map(StackProcess::handle).toList()));
        if (emulator != null) {
            left.addAll(StackProcess.stopAll(List.of(emulator.handle())));
        }
        if (broker != null) {
            broker.close();
        }
        if (recorded) {
            deleteState(options.stateDir());
        }
        if (!left.isEmpty()) {
            throw new IllegalStateException("processes " + left + " still ran after SIGKILL");
        }
    }

    /**
     * Stops a stack that an earlier command left running, from the pids it recorded in {@code stateDir}.
     *
     * @return false if no stack was recorded there
     */
    public static boolean stop(Path stateDir, Progress progress) {
        Optional<Properties> state = readState(stateDir);
        if (state.isEmpty()) {
            return false;
        }
        List<ProcessHandle> servicesAlive = Arrays.stream(CanopyService.values())
                .flatMap(s -> recordedProcess(state.get(), s.module()).stream()).toList();
        progress.step("stopping " + servicesAlive.size() + " services (SIGTERM, SIGKILL after "
                + StackProcess.STOP_GRACE.toSeconds() + " s)");
        List<Long> left = new ArrayList<>(StackProcess.stopAll(servicesAlive));
        for (String part : List.of(EMULATOR, KAFKA)) {
            List<ProcessHandle> process = recordedProcess(state.get(), part).stream().toList();
            progress.step("stopping " + part + (process.isEmpty() ? " (not running)" : ""));
            left.addAll(StackProcess.stopAll(process));
        }
        deleteState(stateDir);
        if (!left.isEmpty()) {
            throw new IllegalStateException("processes " + left + " still ran after SIGKILL");
        }
        return true;
    }

    /**
     * The {@code -D} configuration a stack recorded for a service, for running that service in dev mode against it.
     */
    public static Map<String, String> recordedConfig(Properties state, CanopyService service) {
        String prefix = service.module() + ".config.";
        Map<String, String> config = new TreeMap<>();
        state.stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> config.put(k.substring(prefix.length()), state.getProperty(k)));
        return config;
    }

    /** The recorded state of a stack started with {@code --keep}, if one is recorded in {@code stateDir}. */
    static Optional<Properties> readState(Path stateDir) {
        Path file = stateDir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties state = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            state.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Optional.of(state);
    }

    // A recorded pid counts only while it names the process started then: pids are reused.
    private static Optional<ProcessHandle> recordedProcess(Properties state, String part) {
        String pid = state.getProperty(part + ".pid");
        String started = state.getProperty(part + ".started");
        if (pid == null) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                .filter(p -> started == null || p.info().startInstant().map(Instant::toString).orElse("").equals(started));
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is what is running now
        }
    }

    // ------------------------------------------------------------------------------------------------- internals --

    private List<String> databaseNames() {
        return Arrays.stream(CanopyService.values()).map(s -> s.database(options.databasePrefix())).toList();
    }

    private static void refuseWhenRunning(StackOptions options) {
        Optional<Properties> state = readState(options.stateDir());
        if (state.isPresent() && state.get().stringPropertyNames().stream().filter(k -> k.endsWith(".pid"))
                .anyMatch(k -> recordedProcess(state.get(), k.substring(0, k.length() - ".pid".length())).isPresent())) {
            throw new IllegalStateException("a local stack is already running from " + options.stateDir()
                    + "; stop it first (deploy/local/canopy-local stop" + options.stateDirArgument() + ")");
        }
    }

    private static void refuseTakenPorts(StackOptions options) {
        Map<String, Integer> ports = new LinkedHashMap<>(options.ports());
        // A service left out for dev mode takes its port later, itself.
        options.omitted().forEach(service -> ports.remove(service.module()));
        List<String> taken = new ArrayList<>();
        ports.forEach((what, port) -> {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                probe.setReuseAddress(true);
            } catch (IOException e) {
                taken.add(what + " " + port);
            }
        });
        if (!taken.isEmpty()) {
            throw new IllegalStateException("ports already in use on 127.0.0.1: " + taken
                    + "; stop what holds them (ss -ltnp) or choose other ports (--help)");
        }
    }

    // Logs, broker data and temp files start empty so that every run begins from nothing; the TLS key pair is kept.
    private void prepareStateDir() {
        try {
            Files.createDirectories(options.stateDir());
            for (String dir : List.of(KAFKA, "logs", "tmp", "emulator")) {
                deleteTree(options.stateDir().resolve(dir));
                Files.createDirectories(options.stateDir().resolve(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + options.stateDir(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private void startEmulator() {
        Path trustDir = emulatorTrustStore().getParent();
        List<String> command = java("256m", options.stateDir().resolve("tmp"));
        command.addAll(List.of("-cp", runtimeClasspath(), "dev.canopy.emulator.AzureEmulator",
                "--port", Integer.toString(options.emulatorPort()), "--trust-store-dir", trustDir.toString(),
                // Three years of sample spend are 80 Cost Management queries per subscription: at Azure's 4 a minute
                // per subscription that would take 20 minutes, so the demo runs without Azure's limits.
                "--no-limits"));
        emulator = StackProcess.start(EMULATOR, command, logDir().resolve(EMULATOR + ".log"));
        writeState();
        emulator.awaitReady(EMULATOR_READY, () -> emulator.logContains("azure-emulator listening on"), this::stopping);
        tls = LocalTls.prepare(options.stateDir().resolve("tls"), emulatorTrustStore());
        sslContext = tls.clientContext();
        http = HttpClient.newBuilder().sslContext(sslContext).connectTimeout(Duration.ofSeconds(5)).build();
        emulator.awaitReady(EMULATOR_READY, () -> ready(emulatorUrl() + "/_emulator/health"), this::stopping);
        // quarkus-oidc builds the redirect URI from the host the browser used: register both spellings.
        for (String host : List.of("localhost", "127.0.0.1")) {
            String callback = "https://" + host + ":" + options.port(CanopyService.CONSENT) + "/onboarding/callback";
            send(HttpRequest.newBuilder(URI.create(emulatorUrl() + "/_emulator/applications/"
                            + WorldBuilder.CANOPY_APP_ID + "/redirect-uris"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"redirectUri\":\"" + callback + "\"}")).build(), 204);
        }
        progress.detail("ready; trust " + tls.caPem() + ", log " + emulator.log());
    }

    /** Where the emulator writes the PKCS12 trust store of its certificate (--trust-store-dir). */
    private Path emulatorTrustStore() {
        return options.stateDir().resolve("emulator").resolve(AzureEmulator.TRUST_STORE_FILE);
    }

    private List<String> serviceCommand(CanopyService service) {
        Path jar = options.root().resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw -pl deploy/local -am "
                    + "package -DskipTests, which deploy/local/canopy-local does)");
        }
        List<String> command = java(SERVICE_HEAP, options.stateDir().resolve("tmp").resolve(service.module()));
        serviceConfig(service).forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /** The {@code -D} configuration of a service in the local stack, on top of its own application.properties. */
    Map<String, String> serviceConfig(CanopyService service) {
        Map<String, String> config = new LinkedHashMap<>();
        // HTTPS only, on the loopback interface.
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.http.ssl-port", Integer.toString(options.port(service)));
        config.put("quarkus.http.insecure-requests", "disabled");
        config.put("quarkus.http.tls-configuration-name", HTTPS_TLS);
        config.put("quarkus.tls." + HTTPS_TLS + ".key-store.p12.path", tls.keyStore().toString());
        config.put("quarkus.tls." + HTTPS_TLS + ".key-store.p12.password", LocalTls.PASSWORD);
        // The broker and the database.
        config.put("kafka.bootstrap.servers", bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", databases.server().urlOf(service.database(options.databasePrefix())));
        config.put("quarkus.datasource.username", databases.server().user());
        if (!databases.server().password().isEmpty()) {
            config.put("quarkus.datasource.password", databases.server().password());
        }
        // The emulator as Entra ID and ARM (azure-access) and as the issuer of platform tokens (quarkus-oidc).
        config.put("canopy.azure.arm-endpoint", emulatorUrl() + "/");
        config.put("canopy.azure.authority-host", emulatorUrl());
        config.put("canopy.azure.trust-store", tls.emulatorTrustStore().toString());
        config.put("canopy.azure.trust-store-password", LocalTls.PASSWORD);
        config.put("canopy.azure.instance-discovery", "false");
        config.put("canopy.azure.client-id", WorldBuilder.CANOPY_APP_ID);
        config.put("canopy.azure.client-secret", WorldBuilder.CANOPY_APP_SECRET);
        config.put("quarkus.tls." + EMULATOR_TLS + ".trust-store.p12.path", tls.emulatorTrustStore().toString());
        config.put("quarkus.tls." + EMULATOR_TLS + ".trust-store.p12.password", LocalTls.PASSWORD);
        config.put("quarkus.oidc.auth-server-url", emulatorUrl() + "/canopy-platform");
        config.put("quarkus.oidc.tls.tls-configuration-name", EMULATOR_TLS);
        switch (service) {
            case CONSENT -> {
                config.put("quarkus.oidc.consent.tls.tls-configuration-name", EMULATOR_TLS);
                config.put("canopy.consent.state-secret", consentStateSecret);
            }
            case COLLECTOR -> {
                config.put("canopy.collector.tick", "2s");
                config.put("canopy.collector.spend-backfill-months", Long.toString(ChronoUnit.MONTHS.between(
                        spendSince, LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1))));
                // The emulator runs without Azure's limits (see startEmulator); so does the collector's own pacing.
                config.put("canopy.collector.cost-queries-per10-seconds", "1000");
                config.put("canopy.collector.cost-queries-per-minute", "6000");
                config.put("canopy.collector.cost-queries-per-hour", "360000");
                config.put("canopy.collector.cost-queries-per-scope-per-minute", "6000");
            }
            default -> {
                // tag-sync and cost need nothing beyond the common keys
            }
        }
        return config;
    }

    private static List<String> java(String heap, Path tmp) {
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + tmp, e);
        }
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp));
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The emulator's JVM runs on this module's dependencies, whose paths the build wrote down. */
    private static String runtimeClasspath() {
        String resource = "dev/canopy/local/runtime.classpath";
        try (InputStream in = LocalStack.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing: build deploy/local first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static LocalDate earliestSampleSpendMonth() {
        return SampleWorld.build().costs().stream().map(CostEntry::date).min(Comparator.naturalOrder())
                .orElseThrow(() -> new IllegalStateException("the sample world has no spend")).withDayOfMonth(1);
    }

    private boolean ready(String url) throws IOException, InterruptedException {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }

    private void send(HttpRequest request, int expectedStatus) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.uri(), e);
        }
    }

    // Written after each process starts, so that a launcher killed half-way still leaves what stop needs.
    private void writeState() {
        Properties state = new Properties();
        ProcessHandle.of(broker.pid()).ifPresent(p -> record(state, KAFKA, p));
        if (emulator != null) {
            record(state, EMULATOR, emulator.handle());
        }
        services.forEach((service, process) -> record(state, service.module(), process.handle()));
        if (tls != null) {
            for (CanopyService service : CanopyService.values()) {
                state.setProperty(service.module() + ".url", serviceUrl(service));
                serviceConfig(service).forEach((key, value) -> state.setProperty(service.module() + ".config." + key, value));
            }
        }
        state.setProperty("kafka.bootstrap", bootstrapServers());
        state.setProperty("emulator.url", emulatorUrl());
        state.setProperty("tls.dir", options.stateDir().resolve("tls").toString());
        state.setProperty("emulator.trust-store", emulatorTrustStore().toString());
        try (OutputStream out = Files.newOutputStream(options.stateDir().resolve(STATE_FILE))) {
            state.store(out, "Canopy's local stack; deploy/local/canopy-local stop stops these processes");
            recorded = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stack's state to " + options.stateDir(), e);
        }
    }

    private static void record(Properties state, String part, ProcessHandle process) {
        state.setProperty(part + ".pid", Long.toString(process.pid()));
        process.info().startInstant().ifPresent(t -> state.setProperty(part + ".started", t.toString()));
    }

    private static void deleteState(Path stateDir) {
        try {
            Files.deleteIfExists(stateDir.resolve(STATE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + stateDir.resolve(STATE_FILE), e);
        }
    }
}
