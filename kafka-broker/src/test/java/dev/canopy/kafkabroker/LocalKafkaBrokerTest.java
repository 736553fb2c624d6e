package dev.canopy.kafkabroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real broker in its own JVM and round-trips a record through it. */
class LocalKafkaBrokerTest {

    @TempDir
    Path dir;

    @Test
    void brokerAcceptsAndServesRecordsAndStopsOnClose() throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.start(dir, 0, "256m", Duration.ofSeconds(90));
        try (broker) {
            Map<String, Object> producerConf = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConf)) {
                producer.send(new ProducerRecord<>("smoke", "k1", "v1")).get();
            }

            Map<String, Object> consumerConf = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "smoke-test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConf)) {
                consumer.subscribe(List.of("smoke"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                }
            }
            assertThat(seen).extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("k1", "v1"));
            assertThat(broker.workDir().resolve("broker.log")).isNotEmptyFile();
        }
        assertThat(broker.isAlive()).isFalse();
    }

    @Test
    void brokerThatCannotStartFailsLoudlyAndNamesItsLogs() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> LocalKafkaBroker.start(dir, taken.getLocalPort(), "256m", Duration.ofSeconds(90)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("did not become ready")
                    .hasMessageContaining(dir.resolve("broker.log").toString())
                    .hasMessageContaining(dir.resolve("broker-console.log").toString());
        }
    }

    @Test
    void detachedBrokerWritesItsConsoleToAFileAndStopsOnClose() throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.startDetached(dir, 0, "256m", Duration.ofSeconds(90));
        try (broker) {
            assertThat(ProcessHandle.of(broker.pid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            assertThat(dir.resolve("broker-console.log")).content().contains(BrokerMain.READY_LINE);
        }
        assertThat(broker.isAlive()).isFalse();
    }
}
