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
 * contract.md "Bad input": every malformed document exits 2, prints nothing on stdout and exactly one stderr
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
                        "error: config.class_cost is \"probability\"; must be \"prob\", \"log_prob\" or \"focal\""),
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
                // contract.md section 3
                arguments("groups does not divide Q", withConfig("{\"groups\":3}"),
                        "error: config.groups is 3; must divide Q = 2"),
                arguments("groups 0", withConfig("{\"groups\":0}"), "error: config.groups is 0; must be an integer >= 1"),
                arguments("groups not a JSON integer", withConfig("{\"groups\":2.0}"),
                        "error: config.groups is the number 2.0; expected a JSON integer >= 1"),
                arguments("num_boxes 0", withConfig("{\"num_boxes\":0}"),
                        "error: config.num_boxes is 0.0; must be finite and > 0"),
                arguments("num_boxes negative", withConfig("{\"num_boxes\":-4}"),
                        "error: config.num_boxes is -4.0; must be finite and > 0"),
                arguments("num_boxes not finite in float32", withConfig("{\"num_boxes\":1e39}"),
                        "error: config.num_boxes is 1e39; not finite in float32"),
                arguments("focal loss with the prob class cost", withConfig("{\"loss_class\":\"focal\",\"class_cost\":\"prob\"}"),
                        "error: config.class_cost is \"prob\"; with loss_class \"focal\" it must be \"focal\""),
                arguments("focal loss with the log_prob class cost",
                        withConfig("{\"class_cost\":\"log_prob\",\"loss_class\":\"focal\"}"),
                        "error: config.class_cost is \"log_prob\"; with loss_class \"focal\" it must be \"focal\""),
                arguments("focal class cost with the ce loss", withConfig("{\"class_cost\":\"focal\"}"),
                        "error: config.class_cost is \"focal\"; it needs loss_class \"focal\""),
                arguments("unknown loss_class", withConfig("{\"loss_class\":\"sigmoid\"}"),
                        "error: config.loss_class is \"sigmoid\"; must be \"ce\" or \"focal\""),
                arguments("focal_alpha above 1", withConfig("{\"loss_class\":\"focal\",\"focal_alpha\":1.5}"),
                        "error: config.focal_alpha is 1.5; must be in [0, 1]"),
                arguments("focal_alpha below 0 without focal", withConfig("{\"focal_alpha\":-0.1}"),
                        "error: config.focal_alpha is -0.1; must be in [0, 1]"),
                arguments("negative focal_gamma", withConfig("{\"loss_class\":\"focal\",\"focal_gamma\":-1}"),
                        "error: config.focal_gamma is -1.0; must be finite and >= 0"),
                arguments("focal label out of [0, K)", doc(LOGITS, BOXES,
                        TARGETS.replace("\"labels\":[1,0]", "\"labels\":[3,0]"), ",\"config\":{\"loss_class\":\"focal\"}"),
                        "error: targets[1].labels[0] is 3; must be in [0, 3)"),
                arguments("aux_outputs not a list", doc(LOGITS, BOXES, TARGETS, ",\"aux_outputs\":{}"),
                        "error: aux_outputs is an object; expected a list"),
                arguments("aux layer with fewer queries",
                        doc(LOGITS, BOXES, TARGETS, ",\"aux_outputs\":[{\"pred_logits\":[[[0.1,0.2,0.3]],[[0.7,0.8,0.9]]],"
                                + "\"pred_boxes\":" + BOXES + "}]"),
                        "error: aux_outputs[0].pred_logits has shape [2][1][3]; the top-level pred_logits has [2][2][3]"),
                arguments("aux layer with other boxes", doc(LOGITS, BOXES, TARGETS, ",\"aux_outputs\":[{\"pred_logits\":"
                        + LOGITS + ",\"pred_boxes\":[[[0.5,0.5,0.2,0.2]],[[0.5,0.5,0.2,0.2]]]}]"),
                        "error: aux_outputs[0].pred_boxes has shape [2][1][4]"),
                arguments("unknown key in an aux layer", doc(LOGITS, BOXES, TARGETS, ",\"aux_outputs\":[{\"pred_logits\":"
                        + LOGITS + ",\"pred_boxes\":" + BOXES + ",\"pred_masks\":[]}]"),
                        "error: aux_outputs[0].pred_masks is not a known key of an aux layer"),
                arguments("aux layer without boxes", doc(LOGITS, BOXES, TARGETS, ",\"aux_outputs\":[{\"pred_logits\":"
                        + LOGITS + "}]"), "error: aux_outputs[0].pred_boxes is missing"),
                arguments("aux value not finite in float32", doc(LOGITS, BOXES, TARGETS, ",\"aux_outputs\":[{\"pred_logits\":"
                        + LOGITS.replace("1.2]", "1e39]") + ",\"pred_boxes\":" + BOXES + "}]"),
                        "error: aux_outputs[0].pred_logits[1][1][2] is 1e39; not finite in float32"),
                arguments("aux negative width", doc(LOGITS, BOXES, TARGETS, ",\"aux_outputs\":[{\"pred_logits\":"
                        + LOGITS + ",\"pred_boxes\":" + BOXES.replace("0.3,0.3,0.1,0.1]]]", "0.3,0.3,-0.1,0.1]]]") + "}]"),
                        "error: aux_outputs[0].pred_boxes[1][1][2] is -0.1"),
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
        // the section 3 cases above differ from these valid documents
        for (String ok : new String[] {withConfig("{\"groups\":2,\"num_boxes\":0.5}"),
            withConfig("{\"loss_class\":\"focal\",\"focal_alpha\":1,\"focal_gamma\":0}"),
            withConfig("{\"loss_class\":\"focal\",\"class_cost\":\"focal\"}"),
            doc("[[[0.1],[0.4]],[[0.7],[1.0]]]", BOXES, TARGETS.replace("[1,0]", "[0,0]"),
                    ",\"config\":{\"loss_class\":\"focal\"}"),
            doc(LOGITS, BOXES, TARGETS, ",\"aux_outputs\":[{\"pred_boxes\":" + BOXES + ",\"pred_logits\":" + LOGITS
                    + "}]")}) {
            CliRun.Result v = CliRun.withStdin(ok, "loss", "--backend", "jvm", "--input", "-");
            assertEquals(0, v.exit(), () -> ok + ": " + v);
        }
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
