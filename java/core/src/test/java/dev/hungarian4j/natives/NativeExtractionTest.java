package dev.hungarian4j.natives;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native library this JVM mapped lives in a folder named by the content hash of what was loaded (issue 10 item
 * 6): two builds of the same version can no longer overwrite each other's extracted library under a running JVM.
 */
class NativeExtractionTest {
    @Test
    void theMappedLibraryLivesInAFolderNamedByItsContentHash() throws Exception {
        assertTrue(NativeBackend.status().available(), NativeBackend.status().detail());
        Path mapped = null;
        for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
            int at = line.indexOf('/');
            if (at >= 0 && line.endsWith("/libhungarian4j.so")) {
                mapped = Paths.get(line.substring(at));
            }
        }
        assertTrue(mapped != null, "libhungarian4j.so is not mapped");
        Path dir = mapped.getParent();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String lib : List.of("libhungarian4j.so", "libjniNativeLibrary.so")) {
            sha.update(lib.getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(dir.resolve(lib)));
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : sha.digest()) {
            hex.append(String.format("%02x", b & 0xff));
        }
        String name = dir.getFileName().toString();
        assertTrue(name.endsWith("-" + hex.substring(0, 16)), mapped + " is not in a folder named by its hash "
                + hex.substring(0, 16));
        assertEquals("hungarian4j", dir.getParent().getFileName().toString());
        try (var files = Files.list(dir)) { // only complete libraries: no temporary file left behind
            assertEquals(2, files.filter(p -> p.toString().endsWith(".tmp")).count() + 2);
        }
    }
}
