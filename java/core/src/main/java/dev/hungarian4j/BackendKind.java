package dev.hungarian4j;

import java.util.Locale;

/** A compute backend, or {@link #AUTO} for the best usable one (cuda, else native, else jvm). */
public enum BackendKind {
    /** cuda if usable, else native, else jvm. */
    AUTO,
    /** Pure Java: always available. */
    JVM,
    /** The C++ CPU library through JavaCPP. */
    NATIVE,
    /** The CUDA kernels through JavaCPP. */
    CUDA;

    /**
     * Lower-case name used on the command line and in JSON.
     *
     * @return {@code auto}, {@code jvm}, {@code native} or {@code cuda}
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code auto|jvm|native|cuda} (case-sensitive, as {@link #cliName()} writes them).
     *
     * @param s the name to parse; may be null (then rejected)
     * @return the backend kind
     * @throws InvalidInputException naming {@code --backend} when {@code s} is not one of the four names
     */
    public static BackendKind parse(String s) {
        for (BackendKind b : values()) {
            if (b.cliName().equals(s)) {
                return b;
            }
        }
        throw new InvalidInputException("--backend", "is \"" + s + "\"; must be auto, jvm, native or cuda");
    }
}
