package dev.hungarian4j.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the contract's §1 cases of {@code testdata/vectors} (those without §3 extensions) through the
 * JVM kernels and checks them with the tolerances of {@code testdata/vectors/README.md}.
 */
class ReferenceVectorsTest {

    /** Cases whose optimum is tied, where another optimal matching than the file's is accepted. */
    private static final List<String> TIED = List.of("class_cost_only_ties");

    /**
     * The vectors folder: system property {@code h4j.vectors}, else the first {@code testdata/vectors}
     * found walking up from the working directory (the repository's own copy).
     */
    static Path vectorsDir() {
        String prop = System.getProperty("h4j.vectors");
        if (prop != null && !prop.isEmpty()) {
            Path p = Paths.get(prop);
            if (!Files.isDirectory(p)) {
                fail("h4j.vectors=" + prop + " is not a directory");
            }
            return p;
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("testdata").resolve("vectors");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        fail("reference vectors not found: set -Dh4j.vectors=DIR or run from inside the repository (testdata/vectors)"
                + " (searched upwards from " + Paths.get("").toAbsolutePath() + ")");
        return null;
    }

    /** The input files of the contract.md §1 cases, sorted by name. */
    private static List<Path> section1Inputs() throws IOException {
        List<Path> inputs = new ArrayList<>();
        try (Stream<Path> files = Files.list(vectorsDir())) {
            files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().endsWith(".expected.json"))
                    .sorted()
                    .forEach(inputs::add);
        }
        List<Path> section1 = new ArrayList<>();
        for (Path in : inputs) {
            if (!usesExtensions(obj(MiniJson.parse(Files.readString(in, StandardCharsets.UTF_8))))) {
                section1.add(in);
            }
        }
        return section1;
    }

    @Test
    void allTwelveSection1CasesArePresent() throws IOException {
        assertEquals(12, section1Inputs().size(), "number of contract.md §1 cases in " + vectorsDir());
    }

    @TestFactory
    Stream<DynamicTest> section1CasesAgreeWithTheReference() throws IOException {
        return section1Inputs().stream().map(in -> {
            String name = in.getFileName().toString().replace(".json", "");
            return DynamicTest.dynamicTest(name, () -> {
                Map<String, Object> input = obj(MiniJson.parse(Files.readString(in, StandardCharsets.UTF_8)));
                Map<String, Object> expected = obj(MiniJson.parse(Files.readString(
                        in.resolveSibling(name + ".expected.json"), StandardCharsets.UTF_8)));
                checkCase(name, input, expected);
            });
        });
    }

    /** True for inputs using a contract.md §3 feature, which these kernels alone do not cover. */
    private static boolean usesExtensions(Map<String, Object> input) {
        if (input.containsKey("aux_outputs")) {
            return true;
        }
        Map<String, Object> config = input.containsKey("config") ? obj(input.get("config")) : Map.of();
        return config.containsKey("groups") || config.containsKey("num_boxes")
                || "focal".equals(config.get("loss_class")) || "focal".equals(config.get("class_cost"));
    }

    private static void checkCase(String name, Map<String, Object> input, Map<String, Object> expected) {
        List<Object> predLogits = list(input.get("pred_logits"));
        List<Object> predBoxes = list(input.get("pred_boxes"));
        List<Object> targets = list(input.get("targets"));
        Map<String, Object> config = input.containsKey("config") ? obj(input.get("config")) : Map.of();
        int batch = predLogits.size();
        int queries = list(predLogits.get(0)).size();
        int numLogits = list(list(predLogits.get(0)).get(0)).size();

        float[] logits = flatten(predLogits, batch * queries * numLogits);
        float[] boxes = flatten(predBoxes, batch * queries * 4);
        int[] offsets = new int[batch + 1];
        for (int b = 0; b < batch; b++) {
            offsets[b + 1] = offsets[b] + list(obj(targets.get(b)).get("labels")).size();
        }
        int total = offsets[batch];
        int[] labels = new int[total];
        float[] targetBoxes = new float[4 * total];
        for (int b = 0; b < batch; b++) {
            Map<String, Object> t = obj(targets.get(b));
            List<Object> l = list(t.get("labels"));
            for (int j = 0; j < l.size(); j++) {
                labels[offsets[b] + j] = (int) num(l.get(j));
            }
            float[] tb = flatten(list(t.get("boxes")), 4 * l.size());
            System.arraycopy(tb, 0, targetBoxes, 4 * offsets[b], tb.length);
        }

        double costClass = cfg(config, "cost_class", 1.0);
        double costBbox = cfg(config, "cost_bbox", 5.0);
        double costGiou = cfg(config, "cost_giou", 2.0);
        boolean logProb = "log_prob".equals(config.getOrDefault("class_cost", "prob"));
        double ceW = cfg(config, "loss_ce_weight", 1.0);
        double bboxW = cfg(config, "loss_bbox_weight", 5.0);
        double giouW = cfg(config, "loss_giou_weight", 2.0);
        double eos = cfg(config, "eos_coef", 0.1);
        boolean sum = "sum".equals(config.getOrDefault("reduction", "detr"));

        // Matching: feasible, optimal within tolerance, and scipy's indices where the optimum is unique.
        float[] costs = new float[queries * total];
        JvmCostKernel.costBlocks(batch, queries, numLogits, logits, boxes, offsets, labels, targetBoxes,
                costClass, costBbox, costGiou, logProb, costs);
        int[] assignment = new int[batch * queries];
        double[] matchingCost = JvmMatcher.matchAll(batch, queries, offsets, costs, assignment);
        List<Object> expMatches = list(expected.get("matches"));
        List<Object> expCost = list(expected.get("matching_cost"));
        int[] fileAssignment = new int[batch * queries];
        java.util.Arrays.fill(fileAssignment, -1);
        for (int b = 0; b < batch; b++) {
            String at = name + " image " + b;
            int m = offsets[b + 1] - offsets[b];
            Map<String, Object> em = obj(expMatches.get(b));
            List<Object> ep = list(em.get("pred"));
            List<Object> et = list(em.get("target"));
            for (int i = 0; i < ep.size(); i++) {
                fileAssignment[b * queries + (int) num(ep.get(i))] = (int) num(et.get(i));
            }
            boolean[] used = new boolean[m];
            int size = 0;
            double mine = 0;
            double files = 0;
            for (int q = 0; q < queries; q++) {
                int j = assignment[b * queries + q];
                if (j >= 0) {
                    assertTrue(!used[j], at + ": target " + j + " matched twice");
                    used[j] = true;
                    size++;
                    mine += costs[queries * offsets[b] + q * m + j];
                }
                int fj = fileAssignment[b * queries + q];
                if (fj >= 0) {
                    files += costs[queries * offsets[b] + q * m + fj];
                }
            }
            assertEquals(Math.min(queries, m), size, at + ": matching size");
            double optimum = num(expCost.get(b));
            double tol = Math.max(1e-4, 1e-4 * Math.abs(optimum));
            assertEquals(optimum, mine, tol, at + ": matching cost vs the reference optimum");
            assertTrue(mine <= files + tol, at + ": worse than the file's matching on our costs");
            if (m == 0) {
                assertEquals(0.0, matchingCost[b], 0.0, at + ": matching_cost of an empty image");
            }
            assertEquals(mine, matchingCost[b], Math.max(1e-4, 1e-4 * Math.abs(mine)), at + ": matching_cost");
        }
        if (!TIED.contains(name)) {
            assertArrayEquals(fileAssignment, assignment, name + ": scipy's matching");
        }

        // Loss and gradients, with the file's matching (the expected numbers belong to it).
        float[] gradLogits = new float[logits.length];
        float[] gradBoxes = new float[boxes.length];
        double[] r = JvmLossKernel.loss(batch, queries, numLogits, logits, boxes, offsets, labels, targetBoxes,
                ceW, bboxW, giouW, eos, sum, fileAssignment, gradLogits, gradBoxes);
        Map<String, Object> loss = obj(expected.get("loss"));
        String[] keys = {"ce", "bbox", "giou", "total"};
        for (int k = 0; k < keys.length; k++) {
            double want = num(loss.get(keys[k]));
            assertEquals(want, r[k], Math.max(1e-6, 1e-4 * Math.abs(want)), name + ": loss." + keys[k]);
        }
        assertEquals(num(expected.get("num_boxes")), r[JvmLossKernel.NUM_BOXES], 0.0, name + ": num_boxes");
        Map<String, Object> grad = obj(expected.get("grad"));
        checkGrad(name + ": grad.pred_logits", flatten(list(grad.get("pred_logits")), logits.length), gradLogits);
        checkGrad(name + ": grad.pred_boxes", flatten(list(grad.get("pred_boxes")), boxes.length), gradBoxes);
    }

    /** README rule: max |got - expected| <= 1e-3 max |expected|, or within 1e-7 of an all-zero array. */
    private static void checkGrad(String what, float[] want, float[] got) {
        double maxWant = 0;
        double maxErr = 0;
        for (int i = 0; i < want.length; i++) {
            maxWant = Math.max(maxWant, Math.abs(want[i]));
            maxErr = Math.max(maxErr, Math.abs((double) got[i] - want[i]));
        }
        double tol = maxWant == 0 ? 1e-7 : 1e-3 * maxWant;
        assertTrue(maxErr <= tol, what + ": max error " + maxErr + " > " + tol);
    }

    private static double cfg(Map<String, Object> config, String key, double def) {
        return config.containsKey(key) ? num(config.get(key)) : def;
    }

    /** Flattens nested number lists row-major into float32, checking the element count. */
    private static float[] flatten(List<Object> nested, int expectedCount) {
        List<Double> out = new ArrayList<>();
        collect(nested, out);
        assertEquals(expectedCount, out.size(), "array size");
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i).floatValue();
        }
        return a;
    }

    private static void collect(Object o, List<Double> out) {
        if (o instanceof List) {
            for (Object e : (List<?>) o) {
                collect(e, out);
            }
        } else {
            out.add(num(o));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private static double num(Object o) {
        return (Double) o;
    }
}
