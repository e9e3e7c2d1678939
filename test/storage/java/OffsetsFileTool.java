import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;

/**
 * Writes and reads standalone offsets files exactly as Apache Kafka Connect's FileOffsetBackingStore does: one
 * ObjectOutputStream.writeObject of a java.util.HashMap<byte[], byte[]>. Entries are exchanged as lines of
 * "<base64 key> <base64 value or -null->".
 */
public class OffsetsFileTool {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) throw new IllegalArgumentException("usage: write|read <file>");
    if (args[0].equals("write")) {
      HashMap<byte[], byte[]> map = new HashMap<>();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) continue;
        String[] parts = line.split(" ");
        byte[] value = parts[1].equals("-null-") ? null : Base64.getDecoder().decode(parts[1]);
        map.put(Base64.getDecoder().decode(parts[0]), value);
      }
      try (ObjectOutputStream out = new ObjectOutputStream(new FileOutputStream(args[1]))) {
        out.writeObject(map);
      }
    } else {
      try (ObjectInputStream in = new ObjectInputStream(new FileInputStream(args[1]))) {
        @SuppressWarnings("unchecked")
        HashMap<byte[], byte[]> map = (HashMap<byte[], byte[]>) in.readObject();
        for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
          System.out.println(Base64.getEncoder().encodeToString(e.getKey()) + " "
            + (e.getValue() == null ? "-null-" : Base64.getEncoder().encodeToString(e.getValue())));
        }
      }
    }
  }
}
