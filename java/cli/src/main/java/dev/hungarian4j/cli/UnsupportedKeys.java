package dev.hungarian4j.cli;

import dev.hungarian4j.InvalidInputException;

import java.util.Map;

/**
 * Input keys of CONTRACT.md section 3 (the DETR-family extensions) that this version recognises but does not
 * implement yet. They are rejected with a clear {@code ... is not supported yet} instead of the generic
 * unknown-key error. To support one, add its case to {@link InputReader} or {@link ConfigReader} and delete its
 * entry here.
 */
final class UnsupportedKeys {
    private static final Map<String, String> TOP_LEVEL = Map.of(
            "aux_outputs", "aux layers");
    private static final Map<String, String> CONFIG = Map.of(
            "groups", "query groups",
            "num_boxes", "external normalizer",
            "loss_class", "focal class cost and loss",
            "focal_alpha", "focal class cost and loss",
            "focal_gamma", "focal class cost and loss");

    private UnsupportedKeys() {
    }

    /** Throws when {@code key} is a known but unsupported top-level key. */
    static void checkTopLevel(String key) {
        check(TOP_LEVEL, key, key);
    }

    /** Throws when {@code key} is a known but unsupported key of {@code config}. */
    static void checkConfig(String key) {
        check(CONFIG, key, "config." + key);
    }

    private static void check(Map<String, String> keys, String key, String field) {
        String feature = keys.get(key);
        if (feature != null) {
            throw new InvalidInputException(field, "is not supported yet (" + feature
                    + ", CONTRACT.md section 3); remove it to use the section 1 defaults");
        }
    }
}
