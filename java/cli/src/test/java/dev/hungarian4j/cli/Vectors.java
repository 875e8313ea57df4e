package dev.hungarian4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The reference vectors ({@code testdata/vectors}, system property {@code h4j.vectors}). */
final class Vectors {
    private Vectors() {
    }

    /** The vectors directory; fails the test with a clear message when it is not configured or missing. */
    static Path dir() {
        String p = System.getProperty("h4j.vectors");
        if (p == null || p.isBlank()) {
            fail("system property h4j.vectors is not set; run the tests through Maven (the parent pom sets it to "
                    + "<repo>/testdata/vectors) or pass -Dh4j.vectors=DIR");
        }
        Path dir = Path.of(p);
        assertTrue(Files.isDirectory(dir), "h4j.vectors=" + p + " is not a directory: the reference vectors are missing");
        return dir;
    }

    /** Names of the section 1 cases (not {@code ext_*}), sorted. */
    static List<String> section1Cases() {
        try (Stream<Path> s = Files.list(dir())) {
            List<String> names = s.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.endsWith(".expected.json") && !n.startsWith("ext_"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted().collect(Collectors.toList());
            assertTrue(names.size() >= 12, "expected at least 12 section 1 vectors in " + dir() + ", found " + names);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the contract.md section 3 cases ({@code ext_*}), sorted; at least the five of the README. */
    static List<String> section3Cases() {
        try (Stream<Path> s = Files.list(dir())) {
            List<String> names = s.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("ext_") && n.endsWith(".json") && !n.endsWith(".expected.json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted().collect(Collectors.toList());
            assertTrue(names.size() >= 5, "expected at least 5 ext_* vectors in " + dir() + ", found " + names);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The input file of a case. */
    static Path input(String name) {
        return dir().resolve(name + ".json");
    }

    /** The expected output of a case. */
    static Path expected(String name) {
        return dir().resolve(name + ".expected.json");
    }
}
