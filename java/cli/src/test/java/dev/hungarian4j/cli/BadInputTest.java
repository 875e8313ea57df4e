package dev.hungarian4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * CONTRACT.md "Bad input": every malformed document exits 2, prints nothing on stdout and exactly one stderr
 * line beginning {@code error:} that names the field (with indices), and never a stack trace.
 */
class BadInputTest {
    static final String LOGITS = "[[[0.1,0.2,0.3],[0.4,0.5,0.6]],[[0.7,0.8,0.9],[1.0,1.1,1.2]]]";
    static final String BOXES = "[[[0.5,0.5,0.2,0.2],[0.3,0.3,0.1,0.1]],[[0.5,0.5,0.2,0.2],[0.3,0.3,0.1,0.1]]]";
    static final String TARGETS = "[{\"labels\":[0],\"boxes\":[[0.5,0.5,0.2,0.2]]},"
            + "{\"labels\":[1,0],\"boxes\":[[0.4,0.4,0.2,0.2],[0.6,0.6,0.1,0.3]]}]";

    /** A document from its parts; {@code extra} is appended inside the object (e.g. {@code ,"config":{}}). */
    static String doc(String logits, String boxes, String targets, String extra) {
        return "{\"pred_logits\":" + logits + ",\"pred_boxes\":" + boxes + ",\"targets\":" + targets + extra + "}";
    }

    static String valid() {
        return doc(LOGITS, BOXES, TARGETS, "");
    }

    static String withConfig(String config) {
        return doc(LOGITS, BOXES, TARGETS, ",\"config\":" + config);
    }

    static String withTargets(String targets) {
        return doc(LOGITS, BOXES, targets, "");
    }

    static Stream<Arguments> badDocuments() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        return Stream.of(
                arguments("not JSON", "hello world", "error: input is not valid JSON"),
                arguments("empty input", "", "error: input is empty"),
                arguments("top level is an array", "[1, 2]", "error: input is an array; expected a JSON object"),
                arguments("truncated", valid().substring(0, valid().length() / 2), "is not valid JSON"),
                arguments("trailing garbage", valid() + " xyz", "is not valid JSON"),
                arguments("a second object after the first", valid() + " {}", "error: input has data after the JSON object"),
                arguments("trailing comma", valid().replace("0.3]", "0.3,]"), "error: pred_logits[0][0][3] is not valid JSON"),
                arguments("NaN token", valid().replace("0.6]", "NaN]"), "error: pred_logits[0][1][2] is not valid JSON"),
                arguments("Infinity token", valid().replace("[[[0.5,0.5", "[[[Infinity,0.5"), "pred_boxes[0][0][0] is not valid JSON"),
                arguments("1e39 overflows float32", doc(LOGITS, BOXES.replace("0.3,0.3,0.1,0.1]]]", "0.3,1e39,0.1,0.1]]]"), TARGETS, ""),
                        "error: pred_boxes[1][1][1] is 1e39; not finite in float32"),
                arguments("ragged logits row", doc(LOGITS.replace("[1.0,1.1,1.2]", "[1.0,1.1]"), BOXES, TARGETS, ""),
                        "error: pred_logits[1][1] has 2 values; expected 3"),
                arguments("ragged number of queries", doc(LOGITS.replace(",[1.0,1.1,1.2]", ""), BOXES, TARGETS, ""),
                        "error: pred_logits[1] has 1 rows; expected 2"),
                arguments("logits nested too shallow", doc("[[0.1,0.2,0.3],[0.4,0.5,0.6]]", BOXES, TARGETS, ""),
                        "error: pred_logits[0][0] is the number 0.1; expected an array"),
                arguments("logits nested too deep", doc("[[[[0.1]]]]", BOXES, TARGETS, ""),
                        "error: pred_logits[0][0][0] is an array; expected a number"),
                arguments("K+1 < 2", doc("[[[0.1],[0.4]],[[0.7],[1.0]]]", BOXES, TARGETS, ""),
                        "error: pred_logits[0][0] has 1 value; K+1 must be >= 2"),
                arguments("B = 0", doc("[]", "[]", "[]", ""), "error: pred_logits has 0 images; B must be >= 1"),
                arguments("Q = 0", doc("[[]]", "[[]]", "[{\"labels\":[],\"boxes\":[]}]", ""),
                        "error: pred_logits[0] has 0 rows; Q must be >= 1"),
                arguments("box row of 3", doc(LOGITS, BOXES.replace("[0.3,0.3,0.1,0.1]]", "[0.3,0.3,0.1]]"), TARGETS, ""),
                        "error: pred_boxes[0][1] has 3 values; expected 4"),
                arguments("negative predicted width", doc(LOGITS, BOXES.replace("]],[[0.5,0.5,0.2,", "]],[[0.5,0.5,-0.1,"), TARGETS, ""),
                        "error: pred_boxes[1][0][2] is -0.1; width must be >= 0"),
                arguments("negative target height", withTargets(TARGETS.replace("[0.6,0.6,0.1,0.3]", "[0.6,0.6,0.1,-0.3]")),
                        "error: targets[1].boxes[1][3] is -0.3; height must be >= 0"),
                arguments("label = K", withTargets(TARGETS.replace("\"labels\":[1,0]", "\"labels\":[1,2]")),
                        "error: targets[1].labels[1] is 2; must be in [0, 2)"),
                arguments("negative label", withTargets(TARGETS.replace("\"labels\":[0]", "\"labels\":[-1]")),
                        "error: targets[0].labels[0] is -1; must be in [0, 2)"),
                arguments("label 2.0 is not an integer", withTargets(TARGETS.replace("\"labels\":[1,0]", "\"labels\":[1.0,0]")),
                        "error: targets[1].labels[0] is 1.0; labels must be JSON integers"),
                arguments("string label", withTargets(TARGETS.replace("\"labels\":[0]", "\"labels\":[\"cat\"]")),
                        "error: targets[0].labels[0] is a string \"cat\"; expected an integer label"),
                arguments("huge label", withTargets(TARGETS.replace("\"labels\":[0]", "\"labels\":[99999999999]")),
                        "error: targets[0].labels[0] is 99999999999; out of range"),
                arguments("unknown top-level key", doc(LOGITS, BOXES, TARGETS, ",\"pred_masks\":[]"),
                        "error: pred_masks is not a known top-level key"),
                arguments("unknown config key", withConfig("{\"cost_foo\":1}"), "error: config.cost_foo is not a known config key"),
                arguments("unknown class_cost", withConfig("{\"class_cost\":\"probability\"}"),
                        "error: config.class_cost is \"probability\"; must be \"prob\" or \"log_prob\""),
                arguments("unknown reduction", withConfig("{\"reduction\":\"mean\"}"),
                        "error: config.reduction is \"mean\"; must be \"detr\" or \"sum\""),
                arguments("class_cost not a string", withConfig("{\"class_cost\":1}"),
                        "error: config.class_cost is the number 1; expected"),
                arguments("config is an array", withConfig("[1]"), "error: config is an array; must be an object"),
                arguments("config is null", withConfig("null"), "error: config is null; must be an object"),
                arguments("negative weight", withConfig("{\"cost_bbox\":-1}"), "error: config.cost_bbox is -1.0; must be finite and >= 0"),
                arguments("negative eos_coef", withConfig("{\"eos_coef\":-0.5}"), "error: config.eos_coef is -0.5"),
                arguments("weight not finite in float32", withConfig("{\"loss_giou_weight\":1e39}"),
                        "error: config.loss_giou_weight is 1e39; not finite in float32"),
                arguments("weight is a string", withConfig("{\"cost_giou\":\"2\"}"),
                        "error: config.cost_giou is a string \"2\"; expected a number"),
                arguments("duplicate top-level key", doc(LOGITS, BOXES, TARGETS, ",\"pred_boxes\":" + BOXES),
                        "error: pred_boxes is a duplicate key"),
                arguments("duplicate config key", withConfig("{\"cost_class\":1,\"cost_class\":2}"),
                        "error: config.cost_class is a duplicate key"),
                arguments("duplicate key in a target", withTargets(TARGETS.replace("{\"labels\":[0],", "{\"labels\":[0],\"labels\":[0],")),
                        "error: targets[0].labels is a duplicate key"),
                arguments("targets shorter than B", withTargets("[{\"labels\":[0],\"boxes\":[[0.5,0.5,0.2,0.2]]}]"),
                        "error: targets has 1 images; pred_logits has 2"),
                arguments("targets empty", withTargets("[]"), "error: targets has 0 images; pred_logits has 2"),
                arguments("targets not an array", withTargets("{}"), "error: targets is an object; expected an array"),
                arguments("target is not an object", withTargets("[[0], {\"labels\":[],\"boxes\":[]}]"),
                        "error: targets[0] is an array; expected an object"),
                arguments("target lacks boxes", withTargets("[{\"labels\":[0]},{\"labels\":[],\"boxes\":[]}]"),
                        "error: targets[0].boxes is missing"),
                arguments("target lacks labels", withTargets("[{\"labels\":[],\"boxes\":[]},{\"boxes\":[],\"area\":3}]"),
                        "error: targets[1].labels is missing"),
                arguments("labels and boxes disagree", withTargets(TARGETS.replace(",[0.6,0.6,0.1,0.3]", "")),
                        "error: targets[1].boxes has 1 boxes; labels has 2"),
                arguments("target box of 5 values", withTargets(TARGETS.replace("[[0.5,0.5,0.2,0.2]]", "[[0.5,0.5,0.2,0.2,0.1]]")),
                        "error: targets[0].boxes[0] has more than 4 values"),
                arguments("pred_boxes B differs", doc(LOGITS, "[[[0.5,0.5,0.2,0.2],[0.3,0.3,0.1,0.1]]]", TARGETS, ""),
                        "error: pred_boxes has 1 images; pred_logits has 2"),
                arguments("pred_logits missing", "{\"pred_boxes\":" + BOXES + ",\"targets\":" + TARGETS + "}",
                        "error: pred_logits is missing"),
                arguments("pred_logits is null", doc("null", BOXES, TARGETS, ""), "error: pred_logits is null; expected an array"),
                arguments("aux_outputs not supported yet", doc(LOGITS, BOXES, TARGETS, ",\"aux_outputs\":[]"),
                        "error: aux_outputs is not supported yet"),
                arguments("groups not supported yet", withConfig("{\"groups\":2}"), "error: config.groups is not supported yet"),
                arguments("num_boxes not supported yet", withConfig("{\"num_boxes\":40}"), "error: config.num_boxes is not supported yet"),
                arguments("focal loss not supported yet", withConfig("{\"loss_class\":\"focal\"}"),
                        "error: config.loss_class is not supported yet"),
                arguments("very deep nesting in an ignored key",
                        withTargets("[{\"extra\":" + deep + ",\"labels\":[],\"boxes\":[]},{\"labels\":[],\"boxes\":[]}]"),
                        "error: targets[0].extra"),
                arguments("key with a newline", doc(LOGITS, BOXES, TARGETS, ",\"a\\nb\":1"),
                        "error: \"a\\nb\" is not a known top-level key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDocuments")
    void badDocumentIsRejectedWithOneErrorLine(String name, String json, String expected) {
        CliRun.Result r = CliRun.withStdin(json, "loss", "--grad", "--backend", "jvm", "--input", "-");
        assertRejected(r, expected);
    }

    @ParameterizedTest(name = "match: {0}")
    @MethodSource("badDocuments")
    void matchRejectsTheSame(String name, String json, String expected) {
        CliRun.Result r = CliRun.withStdin(json, "match", "--backend", "jvm", "--input", "-");
        assertRejected(r, expected);
    }

    @Test
    void theValidBaseDocumentIsAccepted() {
        // guards the cases above: each differs from a document that passes
        CliRun.Result r = CliRun.withStdin(valid(), "loss", "--backend", "jvm", "--input", "-");
        assertEquals(0, r.exit(), r::toString);
        CliRun.Result c = CliRun.withStdin(withConfig("{\"cost_class\":2,\"class_cost\":\"log_prob\","
                + "\"reduction\":\"sum\",\"eos_coef\":0}"), "loss", "--backend", "jvm", "--input", "-");
        assertEquals(0, c.exit(), c::toString);
    }

    @Test
    void extraKeysInsideATargetAreIgnored() {
        String coco = TARGETS.replace("{\"labels\":[0],", "{\"image_id\":7,\"area\":0.04,\"iscrowd\":0,"
                + "\"segmentation\":[[1,2,3]],\"meta\":{\"x\":null},\"labels\":[0],");
        CliRun.Result plain = CliRun.withStdin(valid(), "loss", "--grad", "--backend", "jvm", "--input", "-");
        CliRun.Result extra = CliRun.withStdin(withTargets(coco), "loss", "--grad", "--backend", "jvm", "--input", "-");
        assertEquals(0, extra.exit(), extra::toString);
        assertEquals(plain.out(), extra.out());
    }

    @Test
    void missingFileIsBadInput(@TempDir Path dir) {
        CliRun.Result r = CliRun.run("loss", "--input", dir.resolve("nope.json").toString());
        assertRejected(r, "error: --input \"");
        assertTrue(r.err().contains("does not exist"), r::toString);
    }

    @Test
    void directoryIsBadInput(@TempDir Path dir) {
        assertRejected(CliRun.run("match", "--input", dir.toString()), "is a directory");
    }

    @Test
    void badInputFromAFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, withConfig("{\"cost_giou\":-2}"));
        assertRejected(CliRun.run("loss", "--backend", "jvm", "--input", f.toString()),
                "error: config.cost_giou is -2.0; must be finite and >= 0");
    }

    static Stream<Arguments> badUsage() {
        return Stream.of(
                arguments(new String[] {"loss", "--backend", "gpu", "--input", "-"},
                        "error: --backend is \"gpu\"; must be auto, jvm, native or cuda"),
                arguments(new String[] {"info", "--backend", "all"}, "error: --backend is \"all\""),
                arguments(new String[] {"demo", "--backend", "tpu"}, "error: --backend is \"tpu\""),
                arguments(new String[] {"match", "--matcher", "greedy", "--input", "-"},
                        "error: --matcher is \"greedy\"; must be exact or auction"),
                arguments(new String[] {"loss"}, "error: Missing required option: '--input=FILE'"),
                arguments(new String[] {"loss", "--input", "-", "--frobnicate"}, "error: Unknown option: '--frobnicate'"),
                arguments(new String[] {"frobnicate"}, "error: Unmatched argument at index 0: 'frobnicate'"),
                arguments(new String[] {}, "error: missing command"),
                arguments(new String[] {"bench", "--iterations", "0"}, "error: --iterations is 0; must be >= 1"),
                arguments(new String[] {"bench", "--iterations", "many"}, "error: Invalid value for option '--iterations'"),
                arguments(new String[] {"bench", "--batch", "0"}, "error: --batch is 0; must be >= 1"),
                arguments(new String[] {"bench", "--sizes", "2x10x5"}, "error: --sizes[0] is \"2x10x5\"; expected BxQxKxM"),
                arguments(new String[] {"bench", "--sizes", "2x10x5x3,2x0x5x3"}, "error: --sizes[1] has Q = 0; must be >= 1"),
                arguments(new String[] {"bench", "--sizes", "2x10x5x3", "--batch", "4"}, "error: --sizes cannot be combined"));
    }

    @ParameterizedTest(name = "{index}: {1}")
    @MethodSource("badUsage")
    void badUsageExits2(String[] args, String expected) {
        assertRejected(CliRun.withStdin(valid(), args), expected);
    }

    /** Exit 2, nothing on stdout, one stderr line beginning {@code error:} containing {@code expected}. */
    static void assertRejected(CliRun.Result r, String expected) {
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.out(), () -> "stdout must be empty: " + r);
        assertTrue(r.err().startsWith("error: "), r::toString);
        assertTrue(r.err().endsWith("\n") || r.err().endsWith("\r\n"), r::toString);
        assertEquals(1, r.err().strip().lines().count(), () -> "exactly one stderr line: " + r);
        assertTrue(r.err().contains(expected), () -> "stderr should contain <" + expected + ">: " + r);
        assertFalse(r.err().contains("Exception"), () -> "no exception names: " + r);
        assertFalse(r.err().contains("\tat "), () -> "no stack trace: " + r);
    }
}
