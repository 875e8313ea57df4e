package dev.hungarian4j.cli;

import dev.hungarian4j.BackendUnavailableException;
import dev.hungarian4j.HungarianException;
import dev.hungarian4j.InvalidInputException;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * Turns any failure into the CLI's error protocol: exactly one line on standard error beginning {@code error: },
 * never a stack trace (unless the system property {@code h4j.debug} is {@code true}), and an exit status:
 * {@value #BAD_INPUT} for bad input, bad usage or an unavailable requested backend, {@value #FAILURE} for
 * anything else.
 */
final class ErrorReporter {
    /** Exit status of a successful run. */
    static final int OK = 0;
    /** Exit status of a failure that is not the caller's input (a backend failure, an I/O error on output). */
    static final int FAILURE = 1;
    /** Exit status of bad input, bad usage or an unavailable requested backend. */
    static final int BAD_INPUT = 2;

    private ErrorReporter() {
    }

    /**
     * Reports {@code t} on {@code err} and returns the exit status for it.
     *
     * @param t   what went wrong
     * @param err standard error
     */
    static int report(Throwable t, PrintStream err) {
        Throwable e = unwrap(t);
        int status;
        String message;
        if (e instanceof InvalidInputException) {
            status = BAD_INPUT;
            message = e.getMessage();
        } else if (e instanceof BackendUnavailableException) {
            status = BAD_INPUT;
            message = e.getMessage();
        } else if (e instanceof CommandLine.ParameterException) {
            status = BAD_INPUT;
            message = e.getMessage() + " (see --help)";
        } else if (e instanceof HungarianException) {
            status = FAILURE;
            HungarianException h = (HungarianException) e;
            message = "backend failure" + (h.status() != 0 ? " (status " + h.status() + ")" : "") + ": "
                    + h.getMessage();
        } else if (e instanceof UncheckedIOException) {
            status = FAILURE;
            message = e.getMessage() + ": " + e.getCause().getMessage();
        } else if (e instanceof OutOfMemoryError) {
            status = FAILURE;
            String m = String.valueOf(e.getMessage());
            if (m.contains("maxBytes") || m.contains("MaxDirectMemorySize")) { // the library's own advice
                message = "out of memory: " + m;
            } else if (m.toLowerCase(java.util.Locale.ROOT).contains("direct")) {
                message = "out of memory (" + m + "); raise -XX:MaxDirectMemorySize (in H4J_JAVA_OPTS), not -Xmx";
            } else {
                message = "out of memory (" + m + "); run with a larger -Xmx";
            }
        } else if (e instanceof StackOverflowError) {
            status = FAILURE;
            message = "internal error: stack overflow";
        } else {
            status = FAILURE;
            message = "internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        err.println("error: " + Messages.oneLine(message));
        if (Boolean.getBoolean("h4j.debug")) {
            t.printStackTrace(err);
        }
        err.flush();
        return status;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while (e instanceof CommandLine.ExecutionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
