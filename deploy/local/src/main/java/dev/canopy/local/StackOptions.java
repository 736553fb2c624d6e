package dev.canopy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    /** The state folder under the repository's root when none is given. */
    public static final String DEFAULT_STATE_DIR = "deploy/local/.run";

    public StackOptions {
        servicePorts = Map.copyOf(servicePorts);
        for (int port : ports(kafkaPort, emulatorPort, servicePorts).values()) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not from 1 to 65535");
            }
        }
        omitted = omitted.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(omitted));
    }

    /** The README's stack: fixed ports (services 8081–8084, emulator 8443, Kafka 9092), state in {@code deploy/local/.run}. */
    public static StackOptions defaults(Path root) {
        Map<CanopyService, Integer> ports = new EnumMap<>(CanopyService.class);
        for (CanopyService service : CanopyService.values()) {
            ports.put(service, service.defaultPort());
        }
        return new StackOptions(root, root.resolve(DEFAULT_STATE_DIR), DEFAULT_KAFKA_PORT, DEFAULT_EMULATOR_PORT,
                ports, "canopy", Set.of());
    }

    /** A stack beside any other (tests): free ports picked now, its own state folder and databases. */
    public static StackOptions onFreePorts(Path root, Path stateDir, String databasePrefix) {
        // All probes stay open until every port is picked, so that the system cannot hand out one port twice.
        List<ServerSocket> probes = new ArrayList<>();
        try {
            for (int i = 0; i < CanopyService.values().length + 2; i++) {
                probes.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            Map<CanopyService, Integer> ports = new EnumMap<>(CanopyService.class);
            for (CanopyService service : CanopyService.values()) {
                ports.put(service, probes.get(service.ordinal() + 2).getLocalPort());
            }
            return new StackOptions(root, stateDir, probes.get(0).getLocalPort(), probes.get(1).getLocalPort(), ports,
                    databasePrefix, Set.of());
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        } finally {
            probes.forEach(StackOptions::closeQuietly);
        }
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

    /**
     * Every part's port by name: Kafka, the emulator and all four services — also one left out, which runs in dev
     * mode on its port.
     */
    public Map<String, Integer> ports() {
        return ports(kafkaPort, emulatorPort, servicePorts);
    }

    /** Refuses two parts on one port: the second would die at its start while the first answered its readiness. */
    public void requireDistinctPorts() {
        Map<Integer, String> byPort = new HashMap<>();
        ports().forEach((part, port) -> {
            String other = byPort.putIfAbsent(port, part);
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + part + " are both given port " + port
                        + "; give each its own port (--help lists the port options)");
            }
        });
    }

    /** Whether the state folder is the default one, which the commands need not be told about. */
    public boolean defaultStateDir() {
        return stateDir.equals(root.resolve(DEFAULT_STATE_DIR));
    }

    /** {@code " --state-dir <dir>"} for the commands printed as hints, or "" for the default state folder. */
    public String stateDirArgument() {
        return defaultStateDir() ? "" : " " + LauncherCommand.STATE_DIR + " " + stateDir;
    }

    private static Map<String, Integer> ports(int kafkaPort, int emulatorPort, Map<CanopyService, Integer> servicePorts) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(LocalStack.KAFKA, kafkaPort);
        ports.put(LocalStack.EMULATOR, emulatorPort);
        Arrays.stream(CanopyService.values()).filter(servicePorts::containsKey)
                .forEach(service -> ports.put(service.module(), servicePorts.get(service)));
        return ports;
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // only a probe
        }
    }
}
