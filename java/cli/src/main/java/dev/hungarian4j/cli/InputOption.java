package dev.hungarian4j.cli;

import dev.hungarian4j.InvalidInputException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The {@code --input FILE|-} option of match and loss (picocli mixin): reads and validates the input JSON. */
public final class InputOption {
    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "input JSON (docs/contract.md section 2), or - for standard input")
    String input;

    /** Reads the input from the file or, for {@code -}, from the context's standard input. */
    ParsedInput read(CliContext ctx) {
        if ("-".equals(input)) {
            try {
                return InputReader.read(ctx.in());
            } catch (UncheckedIOException e) { // closed or broken standard input
                throw new InvalidInputException("--input", "standard input cannot be read: "
                        + e.getCause().getMessage());
            }
        }
        Path path;
        try {
            path = Path.of(input);
        } catch (InvalidPathException e) {
            throw new InvalidInputException("--input", "is not a valid path: " + Messages.quote(input));
        }
        if (Files.isDirectory(path)) {
            throw new InvalidInputException("--input", Messages.quote(input) + " is a directory, not a file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return InputReader.read(in);
        } catch (UncheckedIOException e) {
            throw new InvalidInputException("--input", Messages.quote(input) + " cannot be read: "
                    + e.getCause().getMessage());
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("--input", Messages.quote(input) + " does not exist");
        } catch (AccessDeniedException e) {
            throw new InvalidInputException("--input", Messages.quote(input) + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new InvalidInputException("--input", Messages.quote(input) + " cannot be read: " + e.getMessage());
        }
    }
}
