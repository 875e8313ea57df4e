package dev.hungarian4j.natives;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two builds of the same jar name, loaded by JVMs at the same time with one shared JavaCPP cache (issue 10 item 6):
 * once a JVM mapping the extracted library while another build's jar overwrote it died of SIGBUS (1 in 50). Here
 * two jars named {@code hungarian4j.jar} hold natives of different content (the second with bytes appended, as a
 * rebuild changes them); six JVMs start together, three on each, and each computes a loss. Every JVM must succeed
 * and map the library of its own jar, from a folder of its own content's hash, still linked there (never replaced
 * by another JVM's identical copy: the maps line would end in "(deleted)"). The shared cache folder does not exist
 * when they start, so they also race to create it: one that lost that race inside JavaCPP's {@code getCacheDir()}
 * used to go on in {@code ~/.javacpp/cache} (seen once in a full build; {@code NativeExtraction.cacheDir()}). Jar
 * a's JVMs name the folder with {@code -Dorg.bytedeco.javacpp.cachedir}, jar b's with {@code cacheDir}.
 */
class ConcurrentJarsTest {
    private static final String NATIVES = "dev/hungarian4j/natives/linux-x86_64/";
    private static final String[] LIBRARIES = {"libhungarian4j.so", "libjniNativeLibrary.so"};

    @Test
    void twoBuildsOfTheSameJarNameRunSideBySide(@TempDir Path tmp) throws Exception {
        Path classes = Path.of("target", "classes", NATIVES);
        assertTrue(Files.isRegularFile(classes.resolve(LIBRARIES[0])), "the build's natives are missing: " + classes);
        Path jarA = jar(tmp.resolve("a"), classes, 0);
        Path jarB = jar(tmp.resolve("b"), classes, 4096);
        String cache = tmp.resolve("javacpp-cache").toString();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path jar = i % 2 == 0 ? jarA : jarB;
            // both spellings JavaCPP reads, each loser of the race below must still land in the folder
            String property = i % 2 == 0 ? "org.bytedeco.javacpp.cachedir" : "org.bytedeco.javacpp.cacheDir";
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-D" + property + "=" + cache,
                    "-cp", jar + File.pathSeparator + System.getProperty("java.class.path"),
                    ConcurrentJarsMain.class.getName());
            pb.redirectErrorStream(true);
            processes.add(pb.start());
        }
        Set<String> foldersA = new HashSet<>();
        Set<String> foldersB = new HashSet<>();
        for (int k = 0; k < processes.size(); k++) {
            final int i = k;
            Process p = processes.get(i);
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(done, "JVM " + i + " did not finish in 120 s: " + out);
            assertEquals(0, p.exitValue(), "JVM " + i + " (jar " + (i % 2 == 0 ? "a" : "b") + "): " + out);
            String mapped = out.lines().filter(l -> l.startsWith("mapped: ")).findFirst().orElseThrow(
                    () -> new AssertionError("JVM " + i + " printed no mapped library: " + out)).substring(8);
            assertTrue(mapped.startsWith(cache), "JVM " + i + " mapped " + mapped + ", not from the shared cache");
            assertTrue(mapped.endsWith("/libhungarian4j.so"), "JVM " + i + "'s library was replaced under it: " + mapped);
            (i % 2 == 0 ? foldersA : foldersB).add(Path.of(mapped).getParent().toString());
        }
        assertEquals(1, foldersA.size(), "jar a's JVMs mapped different folders: " + foldersA);
        assertEquals(1, foldersB.size(), "jar b's JVMs mapped different folders: " + foldersB);
        assertTrue(!foldersA.equals(foldersB), "two different libraries shared one folder: " + foldersA);
    }

    /** {@code dir/hungarian4j.jar} with the build's natives, the first library padded by {@code pad} bytes. */
    private static Path jar(Path dir, Path natives, int pad) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve("hungarian4j.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String lib : LIBRARIES) {
                out.putNextEntry(new JarEntry(NATIVES + lib));
                out.write(Files.readAllBytes(natives.resolve(lib)));
                if (lib.equals(LIBRARIES[0])) {
                    out.write(new byte[pad]); // bytes past the ELF's sections: loads the same, hashes differently
                }
                out.closeEntry();
            }
        }
        return jar;
    }

}
