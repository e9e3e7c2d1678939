/*
 * Golden-output generator for test/converters/schema-registry/avro/avro-java-golden.test.ts.
 *
 * Reads JSON lines {"name":..., "text": <Avro schema text>, "payloads": [<hex>...]} on stdin (what our Avro format
 * wrote, see generate-golden.ts) and prints, for each, what Apache Avro's Java library makes of them: the schema
 * parsed and printed again with Schema.toString() (the text Confluent registers), and every payload decoded with a
 * GenericDatumReader and encoded again with a GenericDatumWriter (the bytes Java writes for that datum). Before
 * writing, every decoded map becomes what Confluent's AvroData hands the writer: a new HashMap<String, Object> filled
 * in the order read, so a map written in any order but Java's HashMap order comes out different. Equal output means
 * our text is Java's canonical text and our bytes are Java's bytes.
 */
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

public final class AvroGolden {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
    return sb.toString();
  }

  private static byte[] unhex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object asConfluentWrites(Object datum, Schema schema) {
    if (datum == null) {
      return null;
    }
    switch (schema.getType()) {
      case UNION:
        return asConfluentWrites(datum, schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)));
      case MAP: {
        Map<String, Object> converted = new HashMap<>();
        for (Map.Entry<Object, Object> e : ((Map<Object, Object>) datum).entrySet()) {
          converted.put(e.getKey().toString(), asConfluentWrites(e.getValue(), schema.getValueType()));
        }
        return converted;
      }
      case ARRAY: {
        List<Object> list = (List<Object>) datum;
        for (int i = 0; i < list.size(); i++) {
          list.set(i, asConfluentWrites(list.get(i), schema.getElementType()));
        }
        return list;
      }
      case RECORD: {
        GenericData.Record record = (GenericData.Record) datum;
        for (Schema.Field f : schema.getFields()) {
          record.put(f.pos(), asConfluentWrites(record.get(f.pos()), f.schema()));
        }
        return record;
      }
      default:
        return datum;
    }
  }

  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        continue;
      }
      JsonNode input = mapper.readTree(line);
      ObjectNode result = mapper.createObjectNode();
      result.put("name", input.get("name").asText());
      try {
        Schema schema = new Schema.Parser().parse(input.get("text").asText());
        result.put("text", schema.toString());
        GenericDatumReader<Object> reader = new GenericDatumReader<>(schema);
        GenericDatumWriter<Object> writer = new GenericDatumWriter<>(schema);
        ArrayNode payloads = result.putArray("payloads");
        ArrayNode datums = result.putArray("datums");
        for (Iterator<JsonNode> it = input.get("payloads").elements(); it.hasNext(); ) {
          byte[] bytes = unhex(it.next().asText());
          BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
          Object datum = reader.read(null, decoder);
          if (!decoder.isEnd()) {
            throw new IllegalStateException("trailing bytes after the datum");
          }
          ByteArrayOutputStream buffer = new ByteArrayOutputStream();
          BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, null);
          writer.write(asConfluentWrites(datum, schema), encoder);
          encoder.flush();
          payloads.add(hex(buffer.toByteArray()));
          datums.add(String.valueOf(datum));
        }
      } catch (Exception e) {
        result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      out.append(mapper.writeValueAsString(result)).append('\n');
    }
    PrintStream utf8 = new PrintStream(System.out, true, "UTF-8");
    utf8.print(out);
    utf8.flush();
  }
}
