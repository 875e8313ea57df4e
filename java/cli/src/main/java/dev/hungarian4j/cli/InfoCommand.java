package dev.hungarian4j.cli;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendStatus;
import dev.hungarian4j.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hungarian4j info}: which backends are usable here (jvm, native, cuda) and why not, the device, what
 * {@code auto} picks and why, and the Java runtime. With an explicit {@code --backend}, also what that request
 * resolves to; an unusable request is an error (exit 2), as for every command.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Shows which backends are available here, why one is not, and what auto picks.")
public final class InfoCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    BackendOption backend;

    /** @param ctx the invocation's streams */
    public InfoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        BackendKind requested = backend.kind();
        Backends.Selection requestedSel = requested == BackendKind.AUTO ? null : Backends.select(requested);
        Backends.Selection auto = Backends.select(BackendKind.AUTO);
        PrintStream out = ctx.out();
        out.printf(Locale.ROOT, "hungarian4j %s%n", VersionProvider.version());
        out.printf(Locale.ROOT, "java:     %s (%s %s) on %s %s, %d CPUs%n", System.getProperty("java.version"),
                System.getProperty("java.vm.vendor"), System.getProperty("java.vm.name"),
                System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors());
        out.println("backends:");
        for (BackendStatus s : Backends.statuses()) {
            out.printf(Locale.ROOT, "  %-7s %-12s %s%n", s.kind().cliName(),
                    s.available() ? "available" : "unavailable", s.detail());
        }
        out.printf(Locale.ROOT, "auto:     %s (%s)%n", auto.backend().kind().cliName(), auto.reason());
        if (requestedSel != null) {
            out.printf(Locale.ROOT, "--backend %s: usable%n", requested.cliName());
        }
        return ErrorReporter.OK;
    }
}
