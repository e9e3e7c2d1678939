// Golden-output generator for the field SMTs (HoistField, InsertField, MaskField, ReplaceField, ExtractField,
// ValueToKey, SetSchemaMetadata, Cast, Flatten): reads one JSON case per line on stdin, runs the real Apache class and
// prints the case back with an "expected" member. Driven by ../generate-golden.mjs.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class FieldSmtGolden {
  static final ObjectMapper M = new ObjectMapper();
  static final JsonConverter CONV = new JsonConverter();

  public static void main(String[] args) throws Exception {
    CONV.configure(Map.of("schemas.enable", "true"), false);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      ObjectNode c = (ObjectNode) M.readTree(line);
      c.set("expected", run(c));
      System.out.println(M.writeValueAsString(c));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static JsonNode run(ObjectNode c) throws Exception {
    Transformation t = (Transformation) Class.forName(c.get("class").asText()).getDeclaredConstructor().newInstance();
    if (c.has("configdef")) return configDef(t.config());
    Map<String, String> config = new LinkedHashMap<>();
    if (c.has("config")) c.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    try {
      t.configure(config);
    } catch (Throwable e) {
      return error("configure", e);
    }
    ConnectRecord record;
    try {
      record = record(c.get("record"));
    } catch (Throwable e) {
      throw new RuntimeException("bad input in case " + c.get("name"), e);
    }
    ObjectNode out = M.createObjectNode();
    ConnectRecord r;
    try {
      r = t.apply(record);
    } catch (Throwable e) {
      return error("apply", e);
    }
    if (r == null) { out.putNull("record"); return out; }
    try {
      out.set("record", describeRecord(r));
    } catch (Throwable e) {
      // The SMT produced something the JsonConverter refuses (e.g. a required field left null).
      return error("output", e);
    }
    return out;
  }

  static ObjectNode error(String stage, Throwable t) {
    ObjectNode e = M.createObjectNode();
    e.put("stage", stage);
    e.put("class", t.getClass().getName());
    e.put("message", t.getMessage());
    ObjectNode out = M.createObjectNode();
    out.set("error", e);
    return out;
  }

  static JsonNode configDef(ConfigDef def) {
    ArrayNode keys = M.createArrayNode();
    for (ConfigDef.ConfigKey k : def.configKeys().values()) {
      ObjectNode n = keys.addObject();
      n.put("name", k.name);
      n.put("type", k.type.name());
      if (!k.hasDefault()) n.put("required", true);
      else n.set("default", M.valueToTree(k.defaultValue));
      n.put("documentation", k.documentation);
      n.put("importance", k.importance.name());
      n.put("validator", k.validator == null ? null : k.validator.toString());
    }
    ObjectNode out = M.createObjectNode();
    out.set("configdef", keys);
    return out;
  }

  static SchemaAndValue decode(JsonNode envelope) throws Exception {
    if (envelope == null || envelope.isNull()) return SchemaAndValue.NULL;
    return CONV.toConnectData("t", M.writeValueAsBytes(envelope));
  }

  static ConnectRecord record(JsonNode r) throws Exception {
    SchemaAndValue key = decode(r.get("key"));
    SchemaAndValue value = decode(r.get("value"));
    ConnectHeaders headers = new ConnectHeaders();
    if (r.has("headers")) {
      for (JsonNode h : r.get("headers")) {
        SchemaAndValue hv = decode(h.get("value"));
        headers.add(h.get("key").asText(), hv.value(), hv.schema());
      }
    }
    Integer partition = r.has("partition") && !r.get("partition").isNull() ? r.get("partition").asInt() : null;
    Long ts = r.has("timestamp") && !r.get("timestamp").isNull() ? r.get("timestamp").asLong() : null;
    String topic = r.get("topic").asText();
    if (r.has("offset")) {
      return new SinkRecord(topic, partition == null ? 0 : partition, key.schema(), key.value(), value.schema(), value.value(),
        r.get("offset").asLong(), ts, TimestampType.CREATE_TIME, headers);
    }
    return new SourceRecord(null, null, topic, partition, key.schema(), key.value(), value.schema(), value.value(), ts, headers);
  }

  static ObjectNode describeRecord(ConnectRecord<?> r) throws Exception {
    ObjectNode o = M.createObjectNode();
    o.put("topic", r.topic());
    if (r.kafkaPartition() == null) o.putNull("partition"); else o.put("partition", r.kafkaPartition());
    if (r.timestamp() == null) o.putNull("timestamp"); else o.put("timestamp", r.timestamp());
    o.set("key", describe(r.keySchema(), r.key()));
    o.set("value", describe(r.valueSchema(), r.value()));
    ArrayNode hs = o.putArray("headers");
    for (Header h : r.headers()) {
      ObjectNode hn = hs.addObject();
      hn.put("key", h.key());
      hn.set("value", describe(h.schema(), h.value()));
    }
    return o;
  }

  static JsonNode describe(Schema schema, Object value) throws Exception {
    if (schema != null) return M.readTree(CONV.fromConnectData("t", schema, value));
    ObjectNode n = M.createObjectNode();
    n.putNull("schema");
    n.set("payload", plain(value));
    return n;
  }

  // Schemaless values, tagged where JSON would lose the type. Maps are written in their iteration order (a HashMap's
  // is its hash order), which is what a converter or sink after the SMT sees.
  static JsonNode plain(Object v) throws Exception {
    if (v == null) return M.nullNode();
    if (v instanceof Boolean) return M.getNodeFactory().booleanNode((Boolean) v);
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) return M.getNodeFactory().numberNode(((Number) v).longValue());
    if (v instanceof Float || v instanceof Double) return M.getNodeFactory().numberNode(((Number) v).doubleValue());
    if (v instanceof String) return M.getNodeFactory().textNode((String) v);
    ObjectNode tag = M.createObjectNode();
    if (v instanceof byte[]) { tag.put("$bytes", Base64.getEncoder().encodeToString((byte[]) v)); return tag; }
    if (v instanceof ByteBuffer) { ByteBuffer b = ((ByteBuffer) v).duplicate(); byte[] a = new byte[b.remaining()]; b.get(a); tag.put("$bytes", Base64.getEncoder().encodeToString(a)); return tag; }
    if (v instanceof Date) { tag.put("$date", ((Date) v).getTime()); return tag; }
    if (v instanceof BigDecimal) { tag.put("$decimal", v.toString()); return tag; }
    if (v instanceof Struct) { tag.set("$struct", describe(((Struct) v).schema(), v)); return tag; }
    if (v instanceof List) { ArrayNode a = M.createArrayNode(); for (Object x : (List<?>) v) a.add(plain(x)); return a; }
    if (v instanceof Map) {
      Map<String, JsonNode> entries = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) entries.put(String.valueOf(e.getKey()), plain(e.getValue()));
      ObjectNode o = M.createObjectNode();
      for (Map.Entry<String, JsonNode> e : entries.entrySet()) o.set(e.getKey(), e.getValue());
      return o;
    }
    tag.put("$unknown", v.getClass().getName() + ":" + v);
    return tag;
  }
}
