package dev.hungarian4j.natives;

/**
 * Loads the native library once per JVM and remembers why it failed, so that nothing is retried and no
 * caller ever sees an {@link UnsatisfiedLinkError}. Set {@code -Dh4j.native.disable=true} to act as if the
 * library were missing.
 */
final class NativeLoader {
    private static final String ERROR = load();

    private NativeLoader() {
    }

    private static String load() {
        if (Boolean.getBoolean("h4j.native.disable")) {
            return "disabled by -Dh4j.native.disable=true";
        }
        try {
            NativeLibrary.load();
            int v = NativeLibrary.h4j_version();
            return v > 0 ? null : "libhungarian4j reported version " + v;
        } catch (Throwable t) { // UnsatisfiedLinkError, or anything the loader throws
            return "native library failed to load: " + t;
        }
    }

    /** Null when loaded, else why not. */
    static String error() {
        return ERROR;
    }
}
