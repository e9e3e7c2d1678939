import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning with Kafka's own Java consumer and prints one line per record,
 * "RECORD " followed by JSON in which a null key, value or header value is JSON null and any other is its bytes in
 * base64, so the test sees exactly what a Java application would: null and empty are different answers.
 *
 *   java -cp <kafka classpath>:<classes> ConsumeRecords <bootstrap> <topic> <count> <timeoutMs>
 *
 * Stops after <count> records or <timeoutMs>, whichever comes first.
 */
public class ConsumeRecords {
    public static void main(String[] args) {
        String bootstrap = args[0];
        String topic = args[1];
        int count = Integer.parseInt(args[2]);
        long deadline = System.currentTimeMillis() + Long.parseLong(args[3]);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis())))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int seen = 0;
            while (seen < count && System.currentTimeMillis() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    StringBuilder out = new StringBuilder("RECORD {\"partition\":").append(r.partition())
                        .append(",\"offset\":").append(r.offset())
                        .append(",\"key\":").append(bytes(r.key()))
                        .append(",\"value\":").append(bytes(r.value()))
                        .append(",\"headers\":[");
                    boolean first = true;
                    for (Header h : r.headers()) {
                        if (!first) out.append(',');
                        first = false;
                        out.append("{\"key\":").append(bytes(h.key().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                            .append(",\"value\":").append(bytes(h.value())).append('}');
                    }
                    System.out.println(out.append("]}"));
                    seen++;
                }
            }
            System.out.flush();
        }
    }

    private static String bytes(byte[] b) {
        return b == null ? "null" : "\"" + Base64.getEncoder().encodeToString(b) + "\"";
    }
}
