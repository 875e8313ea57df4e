package dev.hungarian4j.cli;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every section 1 case of the reference vectors (testdata/vectors) through {@code loss --grad --backend jvm --input FILE} (and native
 * where it is usable), checked with
 * the tolerances of testdata/vectors/README.md; where the returned matching differs from the file's (tied optima),
 * loss and gradients are checked against a float64 recomputation for the returned matching.
 */
class VectorsTest {
    private static final List<String> OUTPUT_KEYS = List.of("backend", "matches", "matching_cost", "loss",
            "num_boxes", "grad");

    @TestFactory
    Stream<DynamicTest> lossWithGradientsMatchesTheReference() {
        return Vectors.section1Cases().stream().map(n -> DynamicTest.dynamicTest(n, () -> checkLoss(n, "jvm")));
    }

    @TestFactory
    Stream<DynamicTest> nativeBackendToo() {
        boolean usable = Backends.statuses().stream().anyMatch(s -> s.kind() == BackendKind.NATIVE && s.available());
        return Vectors.section1Cases().stream().map(n -> DynamicTest.dynamicTest(n, () -> {
            Assumptions.assumeTrue(usable, "the native backend is not usable here");
            checkLoss(n, "native");
        }));
    }

    @TestFactory
    Stream<DynamicTest> referenceOracleReproducesTheExpectedFiles() {
        return Vectors.section1Cases().stream().map(n -> DynamicTest.dynamicTest(n, () -> checkOracle(n)));
    }

    private static void checkLoss(String name, String backend) {
        CliRun.Result r = CliRun.run("loss", "--grad", "--backend", backend, "--input", Vectors.input(name).toString());
        assertEquals(0, r.exit(), () -> name + ": " + r);
        assertEquals("", r.err(), () -> name + ": stderr should be empty: " + r);
        Map<String, Object> out = JsonTree.obj(JsonTree.parse(r.out()));
        Map<String, Object> exp = JsonTree.obj(JsonTree.parse(Vectors.expected(name)));
        ReferenceProblem p = ReferenceProblem.from(JsonTree.parse(Vectors.input(name)));
        assertEquals(OUTPUT_KEYS, List.copyOf(out.keySet()), name + ": output keys and their order");
        assertEquals(backend, out.get("backend"));

        OutputChecks.Pairs got = OutputChecks.checkMatching(p, out, name);
        OutputChecks.Pairs fileMatching = OutputChecks.pairs(exp);
        boolean same = got.sameAs(fileMatching);
        int[] assignment = OutputChecks.assignment(p, got);

        double[] expectedLoss = same ? OutputChecks.lossOf(exp) : p.loss(assignment);
        OutputChecks.checkLoss(expectedLoss, JsonTree.obj(out.get("loss")), name);
        assertEquals(p.numBoxes(), JsonTree.num(out.get("num_boxes")), 0.0, name + ": num_boxes");

        Map<String, Object> grad = JsonTree.obj(out.get("grad"));
        assertEquals(List.of("pred_logits", "pred_boxes"), List.copyOf(grad.keySet()), name + ": grad keys");
        OutputChecks.checkShape(grad.get("pred_logits"), p.batch, p.queries, p.numLogits, name + ": grad.pred_logits");
        OutputChecks.checkShape(grad.get("pred_boxes"), p.batch, p.queries, 4, name + ": grad.pred_boxes");
        Map<String, Object> expGrad = JsonTree.obj(exp.get("grad"));
        double[] expLogits = same ? JsonTree.flat3(expGrad.get("pred_logits")) : p.gradLogits(assignment);
        double[] expBoxes = same ? JsonTree.flat3(expGrad.get("pred_boxes")) : p.gradBoxes(assignment);
        OutputChecks.checkArray(expLogits, JsonTree.flat3(grad.get("pred_logits")), name + ": grad.pred_logits");
        OutputChecks.checkArray(expBoxes, JsonTree.flat3(grad.get("pred_boxes")), name + ": grad.pred_boxes");
    }

    /** The float64 oracle used for tied optima agrees with the independent reference on the file's matching. */
    private static void checkOracle(String name) {
        Map<String, Object> exp = JsonTree.obj(JsonTree.parse(Vectors.expected(name)));
        ReferenceProblem p = ReferenceProblem.from(JsonTree.parse(Vectors.input(name)));
        OutputChecks.Pairs file = OutputChecks.checkMatching(p, exp, name + " (expected file)");
        int[] assignment = OutputChecks.assignment(p, file);
        OutputChecks.checkLoss(p.loss(assignment), JsonTree.obj(exp.get("loss")), name + " (oracle)");
        if (p.logits.length + p.boxes.length <= 4000) {
            Map<String, Object> expGrad = JsonTree.obj(exp.get("grad"));
            OutputChecks.checkArray(JsonTree.flat3(expGrad.get("pred_logits")), p.gradLogits(assignment),
                    name + " (oracle) grad.pred_logits");
            OutputChecks.checkArray(JsonTree.flat3(expGrad.get("pred_boxes")), p.gradBoxes(assignment),
                    name + " (oracle) grad.pred_boxes");
        }
    }

    @Test
    void tiedOptimaCaseReallyIsTied() {
        // the premise of the tie handling above: with one label and only the class cost, every row of a cost
        // block is constant, so any permutation of the matched targets is optimal too
        ReferenceProblem p = ReferenceProblem.from(JsonTree.parse(Vectors.input("class_cost_only_ties")));
        for (int b = 0; b < p.batch; b++) {
            double[][] c = p.costMatrix(b);
            for (double[] row : c) {
                for (double v : row) {
                    assertEquals(row[0], v, 1e-12, "class_cost_only_ties image " + b);
                }
            }
        }
    }
}
