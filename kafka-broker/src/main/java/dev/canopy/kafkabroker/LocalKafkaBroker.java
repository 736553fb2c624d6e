package dev.canopy.kafkabroker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.JarURLConnection;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts and stops a single-node KRaft broker in a child JVM; uses only the JDK, so it can run in any test JVM.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "dev/canopy/kafkabroker/broker.classpath";

    private final Process process;
    private final String bootstrapServers;
    private final Path workDir;

    private LocalKafkaBroker(Process process, String bootstrapServers, Path workDir) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.workDir = workDir;
    }

    /**
     * Starts a fresh broker whose data, config and log live under {@code workDir}; it stops when this JVM ends.
     *
     * @param port the client port, or 0 for a free one
     * @param heap the broker JVM's maximum heap, e.g. "384m"
     * @param timeout how long to wait for the broker to answer before giving up
     */
    public static LocalKafkaBroker start(Path workDir, int port, String heap, Duration timeout) {
        try {
            Files.createDirectories(workDir);
            int clientPort = port == 0 ? freePort() : port;
            Process process = new ProcessBuilder(command(workDir, clientPort, heap, ProcessHandle.current().pid()))
                    .redirectErrorStream(true)
                    .start();
            LocalKafkaBroker broker = new LocalKafkaBroker(process, "127.0.0.1:" + clientPort, workDir);
            broker.awaitReady(workDir.resolve("broker-console.log"), timeout);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local Kafka broker in " + workDir, e);
        }
    }

    /**
     * Starts a broker that outlives this JVM (the local stack's {@code --keep}): it runs until it is sent SIGTERM, and
     * its console goes to {@code broker-console.log} in {@code workDir} instead of a pipe to this JVM.
     *
     * @param port the client port, or 0 for a free one
     * @param heap the broker JVM's maximum heap, e.g. "384m"
     * @param timeout how long to wait for the broker to answer before giving up
     */
    public static LocalKafkaBroker startDetached(Path workDir, int port, String heap, Duration timeout) {
        try {
            Files.createDirectories(workDir);
            int clientPort = port == 0 ? freePort() : port;
            Path consoleLog = workDir.resolve("broker-console.log");
            // Emptied before the start, so the ready line found below can only be this broker's.
            Files.writeString(consoleLog, "", StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command(workDir, clientPort, heap, 0))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()))
                    .start();
            LocalKafkaBroker broker = new LocalKafkaBroker(process, "127.0.0.1:" + clientPort, workDir);
            broker.awaitReadyLineIn(consoleLog, timeout);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local Kafka broker in " + workDir, e);
        }
    }

    private static List<String> command(Path workDir, int clientPort, String heap, long parentPid) throws IOException {
        Path config = writeServerProperties(workDir, clientPort, freePort());
        Path log4j = writeLog4jConfig(workDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-Djava.io.tmpdir=" + workDir);
        command.add("-Dlog4j2.configurationFile=" + log4j);
        command.add("-cp");
        command.add(brokerClasspath());
        command.add(BrokerMain.class.getName());
        command.add(config.toString());
        command.add(Long.toString(parentPid));
        return command;
    }

    /** The {@code host:port} list clients connect to. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The folder that holds the broker's data, config and logs. */
    public Path workDir() {
        return workDir;
    }

    /** The broker JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** True while the broker JVM runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    // The child's stdout is a pipe (not a log file), so the ready line cannot be confused with a line left
    // over from an earlier run; the pump keeps draining it to a file so the child never blocks on a full pipe.
    private void awaitReady(Path consoleLog, Duration timeout) throws IOException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Writer console = Files.newBufferedWriter(consoleLog, StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> pumpConsole(process.getInputStream(), console, ready), "kafka-broker-console");
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            close();
            throw new IllegalStateException("the local Kafka broker did not become ready within " + timeout
                    + " (exit code " + (process.isAlive() ? "none, still running" : process.exitValue()) + "); see "
                    + consoleLog + " and " + workDir.resolve("broker.log"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for the local Kafka broker", e);
        }
    }

    // The child writes to a file here, so there is no pipe to read: the file is read again while the process lives.
    // waitFor() is the pause between reads, and it ends at once when the broker dies.
    private void awaitReadyLineIn(Path consoleLog, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!Files.readAllLines(consoleLog, StandardCharsets.UTF_8).contains(BrokerMain.READY_LINE)) {
                if (process.waitFor(200, TimeUnit.MILLISECONDS) || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("the local Kafka broker did not become ready within " + timeout
                            + " (exit code " + (process.isAlive() ? "none, still running" : process.exitValue())
                            + "); see " + consoleLog + " and " + workDir.resolve("broker.log"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for the local Kafka broker", e);
        }
    }

    private static void pumpConsole(InputStream out, Writer console, CompletableFuture<Void> ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
                console) {
            String line;
            while ((line = reader.readLine()) != null) {
                console.write(line);
                console.write('\n');
                console.flush();
                if (line.equals(BrokerMain.READY_LINE)) {
                    ready.complete(null);
                }
            }
            ready.completeExceptionally(new IllegalStateException("the broker JVM exited before it was ready"));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    private static Path writeServerProperties(Path dir, int clientPort, int controllerPort) throws IOException {
        String props = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + clientPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                // One node: every internal topic has one replica, and consumers join groups without the
                // 3-second rebalance delay meant for clusters whose members start one after another.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.partitions=1",
                "log.cleaner.dedupe.buffer.size=16777216",
                "canopy.bootstrap.servers=127.0.0.1:" + clientPort,
                "");
        Path file = dir.resolve("server.properties");
        Files.writeString(file, props, StandardCharsets.UTF_8);
        return file;
    }

    private static Path writeLog4jConfig(Path dir) throws IOException {
        String config = String.join("\n",
                "status = warn",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + dir.resolve("broker.log"),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n",
                "rootLogger.level = info",
                "rootLogger.appenderRef.file.ref = file",
                "");
        Path file = dir.resolve("log4j2.properties");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** This module's own jar (or classes folder) plus the broker's dependency classpath written at build time. */
    static String brokerClasspath() throws IOException {
        URL resource = LocalKafkaBroker.class.getClassLoader().getResource(CLASSPATH_RESOURCE);
        if (resource == null) {
            throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build the kafka-broker module first");
        }
        String ownLocation = ownLocation(resource);
        try (InputStream in = resource.openStream()) {
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return ownLocation + java.io.File.pathSeparator + dependencies;
        }
    }

    private static String ownLocation(URL resource) throws IOException {
        try {
            switch (resource.getProtocol()) {
                case "jar":
                    JarURLConnection connection = (JarURLConnection) resource.openConnection();
                    connection.setUseCaches(false);
                    return Path.of(connection.getJarFileURL().toURI()).toString();
                case "file":
                    Path file = Path.of(resource.toURI());
                    // .../classes/dev/canopy/kafkabroker/broker.classpath -> .../classes
                    return file.getParent().getParent().getParent().getParent().toString();
                default:
                    throw new IllegalStateException("cannot locate the kafka-broker classes from " + resource);
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the kafka-broker classes from " + resource, e);
        }
    }
}
