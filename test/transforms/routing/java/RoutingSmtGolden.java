// Golden-output generator for the routing/header SMTs and predicates: reads one JSON case per line on stdin, runs
// the real Apache class on it and prints the case back with an "expected" member. Driven by ../generate-golden.mjs.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class RoutingSmtGolden {
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

  static JsonNode run(ObjectNode c) throws Exception {
    Object plugin = Class.forName(c.get("class").asText()).getDeclaredConstructor().newInstance();
    if (c.has("configdef")) return configDef(plugin instanceof Transformation ? ((Transformation<?>) plugin).config() : ((Predicate<?>) plugin).config());
    Map<String, String> config = new LinkedHashMap<>();
    if (c.has("config")) c.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    try {
      if (plugin instanceof Transformation) ((Transformation<?>) plugin).configure(config);
      else ((Predicate<?>) plugin).configure(config);
    } catch (Throwable t) {
      return error("configure", t);
    }
    SourceRecord record;
    try {
      record = record(c.get("record"));
    } catch (Throwable t) {
      throw new RuntimeException("bad input in case " + c.get("name"), t);
    }
    ObjectNode out = M.createObjectNode();
    try {
      if (plugin instanceof Predicate) {
        @SuppressWarnings("unchecked") Predicate<SourceRecord> p = (Predicate<SourceRecord>) plugin;
        out.put("test", p.test(record));
        return out;
      }
      @SuppressWarnings("unchecked") Transformation<SourceRecord> t = (Transformation<SourceRecord>) plugin;
      SourceRecord r = t.apply(record);
      if (r == null) { out.putNull("record"); return out; }
      out.set("record", describeRecord(r));
      return out;
    } catch (Throwable t) {
      return error("apply", t);
    }
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

  static SourceRecord record(JsonNode r) throws Exception {
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
    return new SourceRecord(null, null, r.get("topic").asText(), partition, key.schema(), key.value(), value.schema(), value.value(), ts, headers);
  }

  static ObjectNode describeRecord(SourceRecord r) throws Exception {
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
      // Header.schema() reports a Struct's own schema when none was given; we want what was stored.
      hn.set("value", describe(h.value() instanceof Struct ? ((Struct) h.value()).schema() : h.schema(), h.value()));
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
      LinkedHashMap<String, JsonNode> sorted = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) sorted.put(String.valueOf(e.getKey()), plain(e.getValue()));
      ObjectNode o = M.createObjectNode();
      for (Map.Entry<String, JsonNode> e : sorted.entrySet()) o.set(e.getKey(), e.getValue());
      return o;
    }
    tag.put("$unknown", v.getClass().getName() + ":" + v);
    return tag;
  }
}
