package dev.canopy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the local stack runs: the repository it takes the packaged services from, the folder for its logs, pid files
 * and TLS material, its ports and the prefix of its database names.
 *
 * @param root the repository's root folder (holds {@code <module>/target/quarkus-app/quarkus-run.jar})
 * @param stateDir logs, pids, the broker's data and the TLS material; emptied (but for TLS) at every start
 * @param kafkaPort the broker's client port
 * @param emulatorPort the Azure emulator's HTTPS port
 * @param servicePorts each service's HTTPS port
 * @param databasePrefix the services' databases are {@code <prefix>_consent}, {@code <prefix>_collector}, …
 * @param omitted services the stack does not start (one run in dev mode instead; their databases are still made)
 */
public record StackOptions(Path root, Path stateDir, int kafkaPort, int emulatorPort,
        Map<CanopyService, Integer> servicePorts, String databasePrefix, Set<CanopyService> omitted) {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_EMULATOR_PORT = 8443;

    public StackOptions {
        servicePorts = Map.copyOf(servicePorts);
        omitted = omitted.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(omitted));
    }

    /** The README's stack: fixed ports (services 8081–8084, emulator 8443, Kafka 9092), state in {@code deploy/local/.run}. */
    public static StackOptions defaults(Path root) {
        Map<CanopyService, Integer> ports = new EnumMap<>(CanopyService.class);
        for (CanopyService service : CanopyService.values()) {
            ports.put(service, service.defaultPort());
        }
        return new StackOptions(root, root.resolve("deploy/local/.run"), DEFAULT_KAFKA_PORT, DEFAULT_EMULATOR_PORT,
                ports, "canopy", Set.of());
    }

    /** A stack beside any other (tests): free ports picked now, its own state folder and databases. */
    public static StackOptions onFreePorts(Path root, Path stateDir, String databasePrefix) {
        Map<CanopyService, Integer> ports = new EnumMap<>(CanopyService.class);
        for (CanopyService service : CanopyService.values()) {
            ports.put(service, freePort());
        }
        return new StackOptions(root, stateDir, freePort(), freePort(), ports, databasePrefix, Set.of());
    }

    public StackOptions withKafkaPort(int port) {
        return new StackOptions(root, stateDir, port, emulatorPort, servicePorts, databasePrefix, omitted);
    }

    public StackOptions withEmulatorPort(int port) {
        return new StackOptions(root, stateDir, kafkaPort, port, servicePorts, databasePrefix, omitted);
    }

    public StackOptions withServicePort(CanopyService service, int port) {
        Map<CanopyService, Integer> ports = new EnumMap<>(servicePorts);
        ports.put(service, port);
        return new StackOptions(root, stateDir, kafkaPort, emulatorPort, ports, databasePrefix, omitted);
    }

    public StackOptions withStateDir(Path dir) {
        return new StackOptions(root, dir, kafkaPort, emulatorPort, servicePorts, databasePrefix, omitted);
    }

    public StackOptions without(CanopyService service) {
        Set<CanopyService> more = EnumSet.noneOf(CanopyService.class);
        more.addAll(omitted);
        more.add(service);
        return new StackOptions(root, stateDir, kafkaPort, emulatorPort, servicePorts, databasePrefix, more);
    }

    /** The services the stack starts. */
    public List<CanopyService> started() {
        return Arrays.stream(CanopyService.values()).filter(s -> !omitted.contains(s)).toList();
    }

    public int port(CanopyService service) {
        return servicePorts.get(service);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
