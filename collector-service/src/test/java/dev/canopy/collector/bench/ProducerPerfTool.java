package dev.canopy.collector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Kafka's own producer benchmark ({@code org.apache.kafka.tools.ProducerPerformance}, what
 * {@code kafka-producer-perf-test.sh} runs) in a JVM of its own, on kafka-tools' own classpath, against a broker.
 */
final class ProducerPerfTool {

    /** The tool's closing line: "N records sent, R records/sec (M MB/sec), ...". */
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");
    private static final String MAIN_CLASS = "org.apache.kafka.tools.ProducerPerformance";

    /** What the tool measured. */
    record Result(long records, double recordsPerSecond, double megabytesPerSecond, String summary) {
    }

    private final String classpath;

    private ProducerPerfTool(String classpath) {
        this.classpath = classpath;
    }

    /**
     * The tool on the classpath that bench/collector resolved (a file of {@code :}-separated jars), or empty with
     * the reason printed when it could not be had.
     */
    static Optional<ProducerPerfTool> fromClasspathFile(String file) {
        if (file == null || file.isBlank()) {
            System.out.println("  kafka-tools: no classpath given (-Dcanopy.bench.kafka-tools.classpath); "
                    + "run the benchmark through bench/collector, which resolves it");
            return Optional.empty();
        }
        try {
            return Optional.of(new ProducerPerfTool(Files.readString(Path.of(file)).trim()));
        } catch (IOException e) {
            System.out.println("  kafka-tools could not be had: " + e);
            return Optional.empty();
        }
    }

    /**
     * Sends {@code records} records of {@code recordSize} bytes as fast as the producer goes, with the producer
     * settings given, to a fresh topic of {@code partitions} partitions.
     *
     * @param log where the tool's output goes
     */
    Result run(String bootstrapServers, String topic, int partitions, long records, int recordSize,
            Map<String, String> producerProps, Path log) throws IOException, InterruptedException {
        createTopic(bootstrapServers, topic, partitions);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", classpath,
                MAIN_CLASS, "--topic", topic, "--num-records", Long.toString(records),
                "--record-size", Integer.toString(recordSize), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + bootstrapServers));
        producerProps.forEach((k, v) -> command.add(k + "=" + v));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(MAIN_CLASS + " did not finish within 10 minutes; see " + log);
            }
        } finally {
            process.destroyForcibly();
        }
        // The tool prints the same line every few seconds for its window so far; the last one covers the whole run.
        Matcher last = null;
        for (String line : Files.readAllLines(log)) {
            Matcher m = SUMMARY.matcher(line);
            if (m.find()) {
                last = m;
            }
        }
        if (process.exitValue() != 0 || last == null) {
            throw new IllegalStateException(MAIN_CLASS + " failed (exit " + process.exitValue() + "); see " + log);
        }
        return new Result(Long.parseLong(last.group(1)), Double.parseDouble(last.group(2)),
                Double.parseDouble(last.group(3)), last.group(0));
    }

    private static void createTopic(String bootstrapServers, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
                    .get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create " + topic, e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not create " + topic + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        }
    }
}
