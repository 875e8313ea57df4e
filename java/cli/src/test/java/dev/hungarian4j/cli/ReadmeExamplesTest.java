package dev.hungarian4j.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the README's {@code bin/hungarian4j match|loss ... examples/batch.json} lines as written (in-process,
 * paths resolved against the repository root, {@code < FILE} as standard input) and checks each output
 * against the float64 oracle: an optimal matching, its cost, and for {@code loss} the terms and, with
 * {@code --grad}, central finite differences.
 */
class ReadmeExamplesTest {
    private static final Pattern LINE =
            Pattern.compile("^\\s+bin/hungarian4j\\s+((?:match|loss)\\s[^#]*examples/batch\\.json[^#]*?)\\s*(#.*)?$");

    private static Path root() {
        String r = System.getProperty("h4j.root");
        assertTrue(r != null && !r.isBlank(), "system property h4j.root is not set (run through Maven)");
        return Path.of(r);
    }

    /** The command lines of the README that use the example file, without the launcher. */
    private static List<String> readmeLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(root().resolve("README.md"))) {
            Matcher m = LINE.matcher(l);
            if (m.matches()) {
                lines.add(m.group(1).trim());
            }
        }
        return lines;
    }

    @TestFactory
    Stream<DynamicTest> readmeLinesRunOnTheExampleAndAreRight() throws IOException {
        List<String> lines = readmeLines();
        assertTrue(lines.size() >= 3, "README.md should show match, loss --grad and loss from standard input on "
                + "examples/batch.json; found " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("match")), "a match line: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("loss") && l.contains("--grad")), "a loss --grad line");
        return lines.stream().map(l -> DynamicTest.dynamicTest(l, () -> check(l)));
    }

    private static void check(String line) throws IOException {
        Path example = root().resolve("examples/batch.json");
        List<String> args = new ArrayList<>();
        byte[] stdin = new byte[0];
        List<String> words = Arrays.asList(line.split("\\s+"));
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("<")) {
                stdin = Files.readAllBytes(root().resolve(words.get(++i)));
            } else {
                args.add(w.equals("examples/batch.json") ? example.toString() : w);
            }
        }
        CliRun.Result r = CliRun.withStdin(stdin, args.toArray(new String[0]));
        assertEquals(0, r.exit(), () -> line + ": " + r);
        assertEquals("", r.err(), () -> line + ": stderr should be empty: " + r);

        Map<String, Object> out = JsonTree.obj(JsonTree.parse(r.out()));
        ReferenceProblem p = ReferenceProblem.from(JsonTree.parse(example));
        OutputChecks.Pairs got = OutputChecks.checkMatching(p, out, line);
        assertTrue(got.pred()[0].length == 2 && got.pred()[1].length == 3, line + ": 2 and 3 matched pairs");
        if (!args.get(0).equals("loss")) {
            assertEquals(List.of("backend", "matches", "matching_cost"), List.copyOf(out.keySet()), line);
            return;
        }
        int[] assignment = OutputChecks.assignment(p, got);
        OutputChecks.checkLoss(p.loss(assignment), JsonTree.obj(out.get("loss")), line);
        assertEquals(p.numBoxes(), JsonTree.num(out.get("num_boxes")), 0.0, line + ": num_boxes");
        if (args.contains("--grad")) {
            Map<String, Object> grad = JsonTree.obj(out.get("grad"));
            OutputChecks.checkArray(p.gradLogits(assignment), JsonTree.flat3(grad.get("pred_logits")),
                    line + ": grad.pred_logits");
            OutputChecks.checkArray(p.gradBoxes(assignment), JsonTree.flat3(grad.get("pred_boxes")),
                    line + ": grad.pred_boxes");
        } else {
            assertTrue(!out.containsKey("grad"), line + ": no grad without --grad");
        }
    }
}
