package dev.hungarian4j;

/** The classification loss (contract.md §1 and §3): softmax cross-entropy with a no-object class, or sigmoid focal. */
public enum LossClass {
    /** DETR's weighted softmax cross-entropy: {@code K+1} logits per query, the last is no-object. */
    CE("ce"),
    /**
     * The sigmoid focal loss of Deformable DETR, DINO and RT-DETR: {@code K} logits per query (one sigmoid per
     * class, no no-object), the focal class cost, normalized by {@code num_boxes}.
     */
    FOCAL("focal");

    private final String jsonName;

    LossClass(String jsonName) {
        this.jsonName = jsonName;
    }

    /**
     * The name used in JSON.
     *
     * @return {@code ce} or {@code focal}
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Parses a JSON name.
     *
     * @param name  {@code ce} or {@code focal}
     * @param field the field to name in the error message, e.g. {@code config.loss_class}
     * @return the loss class
     * @throws InvalidInputException naming {@code field} when the name is unknown
     */
    public static LossClass fromJson(String name, String field) {
        for (LossClass c : values()) {
            if (c.jsonName.equals(name)) {
                return c;
            }
        }
        throw new InvalidInputException(field, "is \"" + name + "\"; must be \"ce\" or \"focal\"");
    }
}
