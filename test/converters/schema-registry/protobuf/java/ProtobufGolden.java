import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TextFormat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Calendar;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TimeZone;

/**
 * Golden bytes from protobuf-java for the Protobuf format's tests (run by generate-golden.ts). Reads jobs from stdin,
 * one per line, tab-separated, and answers one line each:
 *   encode      DESCRIPTOR_SET MESSAGE TEXT_FILE   the message given in text format, as DynamicMessage.toByteArray
 *   reserialize DESCRIPTOR_SET MESSAGE HEX         our bytes parsed as a DynamicMessage and written again
 *   calendar    MILLIS                             YEAR MONTH DAY of a UTC java.util.Calendar (Confluent's Date)
 */
public class ProtobufGolden {
  private static final Map<String, Map<String, FileDescriptor>> SETS = new HashMap<>();

  private static Map<String, FileDescriptor> load(String path) throws Exception {
    Map<String, FileDescriptor> files = SETS.get(path);
    if (files != null) return files;
    FileDescriptorSet set = FileDescriptorSet.parseFrom(Files.readAllBytes(Path.of(path)));
    files = new HashMap<>();
    // protoc's --include_imports lists every file after the files it imports.
    for (FileDescriptorProto proto : set.getFileList()) {
      FileDescriptor[] deps = new FileDescriptor[proto.getDependencyCount()];
      for (int i = 0; i < deps.length; i++) deps[i] = files.get(proto.getDependency(i));
      files.put(proto.getName(), FileDescriptor.buildFrom(proto, deps));
    }
    SETS.put(path, files);
    return files;
  }

  private static Descriptor find(String path, String name) throws Exception {
    for (FileDescriptor file : load(path).values()) {
      String pkg = file.getPackage();
      String local = pkg.isEmpty() ? name : name.startsWith(pkg + ".") ? name.substring(pkg.length() + 1) : null;
      if (local == null) continue;
      String[] parts = local.split("\\.");
      Descriptor d = file.findMessageTypeByName(parts[0]);
      for (int i = 1; d != null && i < parts.length; i++) d = d.findNestedTypeByName(parts[i]);
      if (d != null) return d;
    }
    throw new IllegalArgumentException("no message " + name + " in " + path);
  }

  public static void main(String[] args) throws Exception {
    HexFormat hex = HexFormat.of();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] job = line.split("\t", -1);
      try {
        switch (job[0]) {
          case "encode": {
            DynamicMessage.Builder builder = DynamicMessage.newBuilder(find(job[1], job[2]));
            TextFormat.merge(Files.readString(Path.of(job[3])), builder);
            System.out.println(hex.formatHex(builder.build().toByteArray()));
            break;
          }
          case "reserialize": {
            DynamicMessage message = DynamicMessage.parseFrom(find(job[1], job[2]), hex.parseHex(job[3]));
            System.out.println(hex.formatHex(message.toByteArray()));
            break;
          }
          case "calendar": {
            Calendar cal = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
            cal.setTimeInMillis(Long.parseLong(job[1]));
            System.out.println(cal.get(Calendar.YEAR) + " " + (cal.get(Calendar.MONTH) + 1) + " " + cal.get(Calendar.DAY_OF_MONTH));
            break;
          }
          default:
            throw new IllegalArgumentException("unknown job " + job[0]);
        }
      } catch (Exception e) {
        System.out.println("ERROR " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' '));
      }
    }
  }
}
