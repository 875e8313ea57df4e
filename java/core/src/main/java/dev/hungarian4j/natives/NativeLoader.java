package dev.hungarian4j.natives;

/**
 * Loads the native library once per JVM and remembers why it failed, so that nothing is retried and no
 * caller ever sees an {@link UnsatisfiedLinkError}. The bundled libraries are loaded from a folder named by their
 * content hash ({@link NativeExtraction}), never from JavaCPP's per-jar-name cache. Set
 * {@code -Dh4j.native.disable=true} to act as if the library were missing. On another platform than the one the
 * jar carries natives for, nothing is loaded and the reason says so.
 */
final class NativeLoader {
    private static final String ERROR = load();

    private NativeLoader() {
    }

    private static String load() {
        if (Boolean.getBoolean("h4j.native.disable")) {
            return "disabled by -Dh4j.native.disable=true";
        }
        String foreign = foreignPlatform(platform());
        if (foreign != null) {
            return foreign;
        }
        try {
            java.nio.file.Path dir = NativeExtraction.extract();
            if (dir != null) {
                NativeExtraction.load(dir);
            } else {
                NativeLibrary.load(); // not bundled for this platform: JavaCPP's own search (library path)
            }
            int v = NativeLibrary.h4j_version();
            if (v <= 0) {
                return "libhungarian4j reported version " + v;
            }
            applyThreadProperty();
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, or anything the loader throws
            if (NativeLoader.class.getResource(SHIPPED_PLATFORM + "/libjniNativeLibrary.so") == null) {
                return "this jar carries no native library (built with -Dh4j.native.skip=true)";
            }
            return "native library failed to load: " + t;
        }
    }

    /** {@code -Dh4j.native.threads=N}: the thread cap of {@link NativeBackend#setMaxThreads}, set at load. */
    private static void applyThreadProperty() {
        String p = System.getProperty("h4j.native.threads");
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 0) {
                    NativeLibrary.h4j_set_max_threads(n);
                    return;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            System.getLogger("dev.hungarian4j").log(System.Logger.Level.WARNING,
                    "hungarian4j: ignoring -Dh4j.native.threads=" + p + " (must be an integer >= 0)");
        }
    }

    /** The only platform whose natives the jar carries (JavaCPP's platform name). */
    static final String SHIPPED_PLATFORM = "linux-x86_64";

    /** Null on the shipped platform, else why the natives cannot load on {@code platform}. */
    static String foreignPlatform(String platform) {
        return SHIPPED_PLATFORM.equals(platform) ? null
                : "this jar ships natives for " + SHIPPED_PLATFORM + " only (this JVM runs on " + platform + ")";
    }

    /** This JVM's platform in JavaCPP's naming ({@code linux-x86_64}, {@code macosx-arm64}, ...). */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(java.util.Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx"
                : os.startsWith("windows") ? "windows" : os.replace(' ', '_');
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") ? "arm64" : arch;
        return o + "-" + a;
    }

    /** Null when loaded, else why not. */
    static String error() {
        return ERROR;
    }
}
