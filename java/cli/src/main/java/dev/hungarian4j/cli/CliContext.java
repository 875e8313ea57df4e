package dev.hungarian4j.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The streams one CLI invocation works with: standard input (for {@code --input -}), standard output (results
 * only) and standard error (the one {@code error:} line, progress). Passing them explicitly lets tests run the
 * CLI in-process.
 *
 * @param in  where {@code --input -} reads from
 * @param out where results are written
 * @param err where errors and progress are written
 */
public record CliContext(InputStream in, PrintStream out, PrintStream err) {
}
