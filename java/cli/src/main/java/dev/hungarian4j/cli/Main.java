package dev.hungarian4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code bin/hungarian4j}: the command line of hungarian4j (docs/contract.md section 2), with the subcommands
 * {@code demo}, {@code info}, {@code match}, {@code loss} and {@code bench}.
 *
 * <p>Exit status: 0 on success; 2 for bad input, bad usage or an unusable requested backend; 1 for any other
 * failure. Every failure prints exactly one line on standard error beginning {@code error: } and nothing on
 * standard output.
 */
@Command(name = "hungarian4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The DETR Hungarian loss: matching costs, optimal matching, loss and gradients.",
        footer = {"", "Input and output JSON, the math and the bad-input rules: docs/contract.md",
            "(" + Main.CONTRACT_URL + ").", "Example input: examples/batch.json.",
            "", "Exit status: 0 ok, 2 bad input or usage or unavailable backend, 1 other failure."})
public final class Main implements Callable<Integer> {
    /** Where the contract (docs/contract.md) is published. */
    static final String CONTRACT_URL = "https://github.com/hungarian4j/hungarian4j/blob/v0.5.0/docs/contract.md";

    @Spec
    CommandSpec spec;

    private Main() {
    }

    /**
     * Runs the CLI and exits the JVM with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs the CLI in-process.
     *
     * @param args the command line, e.g. {@code loss --input f.json --grad}
     * @param in   standard input (read by {@code --input -})
     * @param out  standard output (results)
     * @param err  standard error (the {@code error:} line, progress)
     * @return the exit status: 0 ok, 2 bad input / usage / unavailable backend, 1 other failure
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        try {
            CliContext ctx = new CliContext(in, out, err);
            CommandLine cl = new CommandLine(new Main());
            cl.addSubcommand(new DemoCommand(ctx));
            cl.addSubcommand(new InfoCommand(ctx));
            cl.addSubcommand(new MatchCommand(ctx));
            cl.addSubcommand(new LossCommand(ctx));
            cl.addSubcommand(new BenchCommand(ctx));
            cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
            cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
            cl.setParameterExceptionHandler((ex, a) -> ErrorReporter.report(ex, err));
            cl.setExecutionExceptionHandler((ex, c, parsed) -> ErrorReporter.report(ex, err));
            int status = cl.execute(args);
            out.flush();
            // PrintStream swallows write errors (a full disk, a closed pipe, /dev/full): a run whose output was
            // lost must not report success
            if (out.checkError() && status == ErrorReporter.OK) {
                return ErrorReporter.report(new java.io.UncheckedIOException("cannot write standard output",
                        new java.io.IOException("the write failed (disk full, or the reader closed the pipe)")), err);
            }
            return status;
        } catch (Throwable t) {
            return ErrorReporter.report(t, err);
        }
    }

    /** Without a subcommand: a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: demo, info, match, loss or bench");
    }
}
