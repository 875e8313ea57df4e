package dev.hungarian4j;

/** How the loss terms are normalized (contract.md §1). */
public enum Reduction {
    /** DETR's SetCriterion: CE by the summed class weights, L1 and GIoU by {@code num_boxes}. */
    DETR("detr"),
    /** Plain sums: both denominators dropped. */
    SUM("sum");

    private final String jsonName;

    Reduction(String jsonName) {
        this.jsonName = jsonName;
    }

    /**
     * The name used in JSON.
     *
     * @return {@code detr} or {@code sum}
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Parses a JSON name.
     *
     * @param name  {@code detr} or {@code sum}
     * @param field the field to name in the error message, e.g. {@code config.reduction}
     * @return the reduction
     * @throws InvalidInputException naming {@code field} when the name is unknown
     */
    public static Reduction fromJson(String name, String field) {
        for (Reduction r : values()) {
            if (r.jsonName.equals(name)) {
                return r;
            }
        }
        throw new InvalidInputException(field, "is \"" + name + "\"; must be \"detr\" or \"sum\"");
    }
}
