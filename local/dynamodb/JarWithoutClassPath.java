import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Copies DynamoDB Local's jar without the {@code Class-Path} of its manifest, adding the given class
 * files: {@code java JarWithoutClassPath <in.jar> <out.jar> [<file.class> ...]}. That manifest names
 * {@code .}, the jar's own (non-empty) folder, and the JVM refuses to archive classes (CDS) for a
 * class path holding a non-empty folder; the libraries it names are put on {@code -cp} instead.
 * Run once per DynamoDB Local release by {@code local/dynamodb/loopbackLauncher.ts}.
 */
public final class JarWithoutClassPath {
  private JarWithoutClassPath() {}

  public static void main(String[] args) throws IOException {
    try (JarInputStream in = new JarInputStream(new FileInputStream(args[0]))) {
      Manifest manifest = in.getManifest();
      if (manifest == null) throw new IllegalStateException(args[0] + " has no manifest");
      manifest.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
      try (JarOutputStream out = new JarOutputStream(new FileOutputStream(args[1]), manifest)) {
        for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
          out.putNextEntry(new JarEntry(entry.getName()));
          in.transferTo(out);
          out.closeEntry();
        }
        for (int i = 2; i < args.length; i++) {
          Path file = Path.of(args[i]);
          out.putNextEntry(new JarEntry(file.getFileName().toString()));
          out.write(Files.readAllBytes(file));
          out.closeEntry();
        }
      }
    }
  }
}
