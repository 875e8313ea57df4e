package dev.hungarian4j.natives;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Extracts the bundled native libraries into a folder named by their content hash, and loads them from there.
 * JavaCPP's own cache names a folder by the jar's file name only, so two builds of the same version (two
 * checkouts, a rebuilt snapshot) overwrite each other's extracted library, and a JVM loading it while another
 * rewrites it dies of SIGBUS. Here the path carries the version and a SHA-256 of both libraries: different content
 * never shares a path, and a file is only ever created by an atomic hard link (or rename) of a complete copy and
 * never replaced, so a reader sees either nothing or the whole library, and a mapped library stays linked.
 */
final class NativeExtraction {
    /** The jar's natives, in load order (libhungarian4j before the JNI glue that links to it). */
    private static final String[] LIBRARIES = {"libhungarian4j.so", "libjniNativeLibrary.so"};

    private NativeExtraction() {
    }

    /**
     * The folder the libraries were extracted into, or null when the natives are not bundled as resources for this
     * platform (a foreign platform, or classes run from a build folder without them).
     */
    static Path extract() throws IOException {
        String base = "/" + NativeExtraction.class.getPackageName().replace('.', '/') + "/" + Loader.getPlatform()
                + "/";
        byte[][] content = new byte[LIBRARIES.length][];
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        for (int i = 0; i < LIBRARIES.length; i++) {
            try (InputStream in = NativeExtraction.class.getResourceAsStream(base + LIBRARIES[i])) {
                if (in == null) {
                    return null;
                }
                content[i] = in.readAllBytes();
            }
            sha.update(LIBRARIES[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(content[i]);
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : sha.digest()) {
            hex.append(String.format("%02x", b & 0xff));
        }
        Path dir = cacheDir().resolve("hungarian4j")
                .resolve(version() + "-" + hex.substring(0, 16));
        Files.createDirectories(dir);
        for (int i = 0; i < LIBRARIES.length; i++) {
            Path target = dir.resolve(LIBRARIES[i]);
            if (Files.isRegularFile(target) && Files.size(target) == content[i].length) {
                continue; // same hash, same size: the complete library another JVM extracted
            }
            Path tmp = Files.createTempFile(dir, LIBRARIES[i], ".tmp");
            try {
                Files.write(tmp, content[i]);
                publish(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return dir;
    }

    /**
     * JavaCPP's cache folder, the one {@code -Dorg.bytedeco.javacpp.cachedir} (or {@code cacheDir}, which JavaCPP
     * reads next) names when it is set. That folder is created here first: {@code Loader.getCacheDir()} takes a folder that exists or that its own {@code mkdirs()}
     * created, and {@code mkdirs()} is false when another JVM created the folder in between, so a JVM that lost that
     * race (the processes of a data-parallel job starting at once) went on in {@code ~/.javacpp/cache} instead.
     * {@code Files.createDirectories} accepts a folder that appeared meanwhile. Where it cannot create the folder,
     * JavaCPP's own choice stands.
     */
    private static Path cacheDir() throws IOException {
        String named = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (named == null) {
            named = System.getProperty("org.bytedeco.javacpp.cacheDir");
        }
        if (named != null && !named.isBlank()) {
            try {
                Files.createDirectories(Path.of(named));
            } catch (IOException | RuntimeException e) {
                // not creatable here (read-only, a file in the way, a bad path): JavaCPP falls back as it does
            }
        }
        return Loader.getCacheDir().toPath();
    }

    /**
     * Makes the complete copy {@code tmp} appear as {@code target}, never replacing a file that exists: a hard link
     * is atomic and fails when another JVM published first (its copy has the same content: the folder is named by
     * the hash), so a library some JVM has mapped is never unlinked under it. Where links are not supported, an
     * atomic rename (which may replace an identical copy).
     */
    private static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            return;
        } catch (FileAlreadyExistsException e) {
            return; // another JVM's complete copy of the same content
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.isRegularFile(target)) {
                return;
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The Maven version this jar was built as ("dev" when run from classes without Maven's metadata). */
    private static String version() {
        try (InputStream in = NativeExtraction.class.getResourceAsStream(
                "/META-INF/maven/dev.hungarian4j/hungarian4j/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "dev").replaceAll("[^A-Za-z0-9._-]", "_");
            }
        } catch (IOException e) {
            // fall through: the hash alone still separates different content
        }
        return "dev";
    }

    /** Loads the extracted libraries, in order, into this class loader. */
    static void load(Path dir) {
        for (String lib : LIBRARIES) {
            System.load(dir.resolve(lib).toAbsolutePath().toString());
        }
    }
}
