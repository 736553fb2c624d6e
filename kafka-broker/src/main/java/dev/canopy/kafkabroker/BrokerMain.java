package dev.canopy.kafkabroker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import kafka.Kafka;
import kafka.tools.StorageTool;

/** Entry point of the broker JVM: formats KRaft storage, runs Kafka, reports readiness, and dies with its parent. */
public final class BrokerMain {

    /** Printed on stdout once the broker answers an Admin request; the launcher waits for exactly this line. */
    static final String READY_LINE = "CANOPY-KAFKA-BROKER-READY";

    private BrokerMain() {
    }

    /**
     * Arguments: {@code <server.properties> <parent pid>}. A parent pid of 0 means "run until stopped".
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BrokerMain <server.properties> <parent-pid|0>");
            System.exit(2);
        }
        Path config = Path.of(args[0]);
        long parentPid = Long.parseLong(args[1]);
        Properties props = load(config);

        exitWhenParentDies(parentPid);
        formatStorageIfNeeded(config, props);

        Thread server = new Thread(() -> Kafka.main(new String[] {config.toString()}), "kafka-main");
        server.start();
        awaitAdminAnswers(props.getProperty("canopy.bootstrap.servers"), Duration.ofSeconds(90));
        System.out.println(READY_LINE);
        System.out.flush();
        server.join();
    }

    private static Properties load(Path config) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            props.load(in);
        }
        return props;
    }

    // A test JVM killed with SIGKILL runs no shutdown hook, so the child watches the parent instead of the
    // other way round; otherwise every crashed test run would leave a broker holding its ports.
    private static void exitWhenParentDies(long parentPid) {
        if (parentPid <= 0) {
            return;
        }
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    System.err.println("parent process " + parentPid + " exited; stopping the broker");
                    System.exit(0);
                }),
                () -> {
                    System.err.println("parent process " + parentPid + " is already gone");
                    System.exit(1);
                });
    }

    private static void formatStorageIfNeeded(Path config, Properties props) {
        Path logDir = Path.of(props.getProperty("log.dirs"));
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()},
                new PrintStream(System.err, true));
        if (rc != 0) {
            System.err.println("formatting KRaft storage in " + logDir + " failed with exit code " + rc);
            System.exit(3);
        }
    }

    private static void awaitAdminAnswers(String bootstrap, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get();
                    return;
                } catch (Exception notYet) {
                    if (Instant.now().isAfter(deadline)) {
                        System.err.println("broker did not answer within " + timeout + ": " + notYet);
                        System.exit(4);
                    }
                    // Admin calls already block up to their own timeout; this only stops a tight spin on
                    // connection-refused answers in the first milliseconds.
                    Thread.onSpinWait();
                }
            }
        }
    }
}
