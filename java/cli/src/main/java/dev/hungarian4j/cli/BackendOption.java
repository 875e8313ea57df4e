package dev.hungarian4j.cli;

import dev.hungarian4j.BackendKind;
import picocli.CommandLine.Option;

/** The {@code --backend auto|jvm|native|cuda} option every command takes (picocli mixin). */
public final class BackendOption {
    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "auto|jvm|native|cuda (default: ${DEFAULT-VALUE}: cuda if usable, else native, else jvm)")
    String backend;

    /** The requested backend; bad names are {@link dev.hungarian4j.InvalidInputException}s naming --backend. */
    BackendKind kind() {
        return BackendKind.parse(backend);
    }

    /** Whether {@code --backend all} was given (bench only). */
    boolean isAll() {
        return "all".equals(backend);
    }
}
