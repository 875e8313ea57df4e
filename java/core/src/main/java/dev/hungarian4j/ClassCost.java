package dev.hungarian4j;

/** The class term of the matching cost (contract.md §1). */
public enum ClassCost {
    /** {@code -softmax(logits)[label]}: DETR's default. */
    PROB("prob"),
    /** {@code -log_softmax(logits)[label]}. */
    LOG_PROB("log_prob"),
    /**
     * The focal class cost of contract.md §3 on sigmoid logits, {@code p = sigmoid(logit[label])}:
     * {@code α(1−p)^γ(−log p) − (1−α)p^γ(−log(1−p))}; with, and only with, {@link LossClass#FOCAL}.
     */
    FOCAL("focal");

    private final String jsonName;

    ClassCost(String jsonName) {
        this.jsonName = jsonName;
    }

    /**
     * The name used in JSON and on the command line.
     *
     * @return {@code prob}, {@code log_prob} or {@code focal}
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Parses a JSON name.
     *
     * @param name  {@code prob}, {@code log_prob} or {@code focal}
     * @param field the field to name in the error message, e.g. {@code config.class_cost}
     * @return the class cost
     * @throws InvalidInputException naming {@code field} when the name is unknown
     */
    public static ClassCost fromJson(String name, String field) {
        for (ClassCost c : values()) {
            if (c.jsonName.equals(name)) {
                return c;
            }
        }
        throw new InvalidInputException(field, "is \"" + name + "\"; must be \"prob\", \"log_prob\" or \"focal\"");
    }
}
