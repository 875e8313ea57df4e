package dev.hungarian4j;

/**
 * Bad input: the message names the field with its indices, e.g.
 * {@code pred_boxes[1][7][2] is -0.1; width must be >= 0}.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** The offending field with its indices. */
    private final String field;

    /**
     * Creates the exception; its message is {@code field + " " + problem}.
     *
     * @param field   the field with indices, e.g. {@code pred_boxes[1][7][2]}
     * @param problem what is wrong, e.g. {@code is -0.1; width must be >= 0}
     */
    public InvalidInputException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    /**
     * The offending field with its indices.
     *
     * @return the field, e.g. {@code targets[0].labels[3]}
     */
    public String field() {
        return field;
    }
}
