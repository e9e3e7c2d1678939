import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads standalone offsets files with the real JDK classes, the way Apache Kafka Connect's
 * FileOffsetBackingStore does: one ObjectOutputStream.writeObject of a java.util.HashMap<byte[], byte[]> built with
 * put(), and one ObjectInputStream.readObject cast back to that type. Entries travel as lines of
 * "<base64 key> <base64 value, or -null- for a null value>".
 *
 *   java OffsetsFileTool write <file>   entries on stdin
 *   java OffsetsFileTool read <file>    entries on stdout, sorted, so the output is stable
 *
 * When writing, byte arrays with equal contents are one and the same Java object (a value equal to an earlier key or
 * value), so ObjectOutputStream writes a back-reference (TC_REFERENCE) for the repeats. Apache produces the same
 * after it loads such a file and writes it again.
 */
public class OffsetsFileTool {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) throw new IllegalArgumentException("usage: OffsetsFileTool write|read <file>");
    if (args[0].equals("write")) write(args[1]);
    else if (args[0].equals("read")) read(args[1]);
    else throw new IllegalArgumentException("unknown mode " + args[0]);
  }

  private static void write(String file) throws Exception {
    Map<ByteBuffer, byte[]> shared = new HashMap<>();
    HashMap<byte[], byte[]> map = new HashMap<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      String[] parts = line.split(" ");
      byte[] key = intern(shared, Base64.getDecoder().decode(parts[0]));
      byte[] value = parts[1].equals("-null-") ? null : intern(shared, Base64.getDecoder().decode(parts[1]));
      map.put(key, value);
    }
    try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(Paths.get(file)))) {
      out.writeObject(map);
    }
  }

  private static byte[] intern(Map<ByteBuffer, byte[]> shared, byte[] bytes) {
    return shared.computeIfAbsent(ByteBuffer.wrap(bytes), k -> bytes);
  }

  private static void read(String file) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new FileInputStream(file))) {
      Object read = in.readObject();
      if (in.available() > 0 || in.read() != -1) throw new IllegalStateException("data after the HashMap");
      @SuppressWarnings("unchecked")
      HashMap<byte[], byte[]> map = (HashMap<byte[], byte[]>) read;
      List<String> lines = new ArrayList<>();
      for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
        lines.add(Base64.getEncoder().encodeToString(e.getKey()) + " "
          + (e.getValue() == null ? "-null-" : Base64.getEncoder().encodeToString(e.getValue())));
      }
      Collections.sort(lines);
      for (String l : lines) System.out.println(l);
    }
  }
}
