package dev.hungarian4j.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process through {@link Main#run} and captures its exit status, stdout and stderr. */
final class CliRun {
    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + clip(out) + "\n--- stderr ---\n" + clip(err);
        }

        private static String clip(String s) {
            return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
        }
    }

    private CliRun() {
    }

    /** Runs with empty standard input. */
    static Result run(String... args) {
        return withStdin(new byte[0], args);
    }

    /** Runs with the given standard input. */
    static Result withStdin(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args, new ByteArrayInputStream(stdin), o, e);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs with a string on standard input. */
    static Result withStdin(String stdin, String... args) {
        return withStdin(stdin.getBytes(StandardCharsets.UTF_8), args);
    }
}
