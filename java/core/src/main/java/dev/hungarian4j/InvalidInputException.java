package dev.hungarian4j;

/**
 * Bad input: the message names the field with its indices, e.g.
 * {@code pred_boxes[1][7][2] is -0.1; width must be >= 0}.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** The offending field with its indices. */
    private final String field;
    /** What is wrong with it. */
    private final String problem;

    /**
     * Creates the exception; its message is {@code field + " " + problem}.
     *
     * @param field   the field with indices, e.g. {@code pred_boxes[1][7][2]}
     * @param problem what is wrong, e.g. {@code is -0.1; width must be >= 0}
     */
    public InvalidInputException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
        this.problem = problem;
    }

    /**
     * The same problem with the field named inside an enclosing document, for callers that take the arrays from
     * a larger input (the CLI's {@code aux_outputs[2].}); the stack trace and this exception as its cause are
     * kept.
     *
     * @param prefix prepended to {@link #field()}, e.g. {@code aux_outputs[2].}
     * @return a new exception naming {@code prefix + field()}
     */
    public InvalidInputException withFieldPrefix(String prefix) {
        InvalidInputException e = new InvalidInputException(prefix + field, problem);
        e.initCause(this);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /**
     * What is wrong with the field, without its name.
     *
     * @return e.g. {@code is -0.1; width must be >= 0}
     */
    public String problem() {
        return problem;
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
