package dev.hungarian4j.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import dev.hungarian4j.InvalidInputException;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jazzer fuzzing of the JSON reader (issue 10, "guards"): any byte string either parses or is refused with an
 * {@link InvalidInputException}; nothing else escapes (no NPE, no IndexOutOfBounds, no NegativeArraySize), and
 * the CLI turns it into exit 2 with one {@code error:} line. Seeds: a valid input and the bad-input table's shapes.
 */
@Tag("fuzz") // run by .ci/fuzz.sh (fuzzing) and -Dh4j.test.excludedGroups= (seeds); excluded by default
class JsonReaderFuzzTest {
    /** The reader alone, then the whole command on the same bytes. */
    @FuzzTest(maxDuration = "20s")
    void input(byte[] data) {
        reader(data);
        command(data);
    }

    private static void reader(byte[] data) {
        try {
            InputReader.read(new ByteArrayInputStream(data));
        } catch (InvalidInputException e) {
            assertTrue(e.field() != null && !e.field().isEmpty(), "no field named: " + e.getMessage());
        }
    }

    private static void command(byte[] data) {
        CliRun.Result r = CliRun.withStdin(data, "match", "--input", "-", "--backend", "native");
        if (r.exit() != 0) {
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.out().isEmpty(), r.toString());
            String[] lines = r.err().split("\n");
            assertEquals(1, lines.length, r.toString());
            assertTrue(lines[0].startsWith("error: "), r.toString());
        } else {
            assertTrue(r.out().startsWith("{\"backend\""), r.toString());
        }
    }
}
