package dev.hungarian4j;

/**
 * Whether a backend can run here and why (or why not).
 *
 * @param kind      the backend
 * @param available whether it can be used
 * @param detail    a human-readable reason: the device name, or the load error / status code and text
 */
public record BackendStatus(BackendKind kind, boolean available, String detail) {
}
