package dev.hungarian4j.cli;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract.md section 3 cases ({@code ext_*}) of the shared vectors through {@code loss --grad --input FILE} on
 * jvm and native, with the tolerances of shared/vectors/README.md: per layer (top and every aux layer), each query
 * group's matching feasible and optimal for that group alone (float64 oracle), the matching costs, loss terms,
 * {@code num_boxes} (the normalizer times G), {@code total_all_layers} and every gradient array against the file.
 */
class ExtVectorsTest {
    @TestFactory
    Stream<DynamicTest> jvmBackend() {
        return Vectors.section3Cases().stream().map(n -> DynamicTest.dynamicTest(n, () -> check(n, "jvm")));
    }

    @TestFactory
    Stream<DynamicTest> nativeBackend() {
        boolean usable = Backends.statuses().stream().anyMatch(s -> s.kind() == BackendKind.NATIVE && s.available());
        return Vectors.section3Cases().stream().map(n -> DynamicTest.dynamicTest(n, () -> {
            Assumptions.assumeTrue(usable, "the native backend is not usable here");
            check(n, "native");
        }));
    }

    private static void check(String name, String backend) {
        CliRun.Result r = CliRun.run("loss", "--grad", "--backend", backend, "--input", Vectors.input(name).toString());
        assertEquals(0, r.exit(), () -> name + ": " + r);
        assertEquals("", r.err(), () -> name + ": stderr should be empty: " + r);
        Map<String, Object> out = JsonTree.obj(JsonTree.parse(r.out()));
        Map<String, Object> exp = JsonTree.obj(JsonTree.parse(Vectors.expected(name)));
        Object in = JsonTree.parse(Vectors.input(name));
        boolean aux = JsonTree.obj(in).containsKey("aux_outputs");
        List<String> keys = new ArrayList<>(List.of("backend", "matches", "matching_cost", "loss", "num_boxes"));
        if (aux) {
            keys.addAll(List.of("aux_matches", "aux_matching_cost", "aux_losses", "total_all_layers"));
        }
        keys.add("grad");
        assertEquals(keys, List.copyOf(out.keySet()), name + ": output keys and their order");
        assertEquals(backend, out.get("backend"));

        ReferenceProblem top = ReferenceProblem.from(in);
        assertEquals(top.normalizer(), JsonTree.num(out.get("num_boxes")), 1e-6 * top.normalizer(), name + ": num_boxes");
        assertEquals(JsonTree.num(exp.get("num_boxes")), JsonTree.num(out.get("num_boxes")),
                1e-6 * top.normalizer(), name + ": num_boxes against the file");
        Map<String, Object> grad = JsonTree.obj(out.get("grad"));
        Map<String, Object> expGrad = JsonTree.obj(exp.get("grad"));
        checkLayer(top, layerOf(out, -1), layerOf(exp, -1), grad, expGrad, name + " top layer");
        if (!aux) {
            assertEquals(List.of("pred_logits", "pred_boxes"), List.copyOf(grad.keySet()), name + ": grad keys");
            return;
        }
        assertEquals(List.of("pred_logits", "pred_boxes", "aux"), List.copyOf(grad.keySet()), name + ": grad keys");
        int layers = JsonTree.arr(JsonTree.obj(in).get("aux_outputs")).size();
        assertEquals(layers, JsonTree.arr(out.get("aux_matches")).size(), name + ": aux_matches per layer");
        assertEquals(layers, JsonTree.arr(out.get("aux_losses")).size(), name + ": aux_losses per layer");
        assertEquals(layers, JsonTree.arr(grad.get("aux")).size(), name + ": grad.aux per layer");
        double total = JsonTree.num(JsonTree.obj(out.get("loss")).get("total"));
        for (int l = 0; l < layers; l++) {
            checkLayer(top.layer(in, l), layerOf(out, l), layerOf(exp, l),
                    JsonTree.obj(JsonTree.arr(grad.get("aux")).get(l)),
                    JsonTree.obj(JsonTree.arr(expGrad.get("aux")).get(l)), name + " aux layer " + l);
            total += JsonTree.num(JsonTree.obj(JsonTree.arr(out.get("aux_losses")).get(l)).get("total"));
        }
        double all = JsonTree.num(out.get("total_all_layers"));
        assertEquals(total, all, 1e-9 * Math.abs(total), name + ": total_all_layers is the sum of the totals");
        double expAll = JsonTree.num(exp.get("total_all_layers"));
        assertTrue(Math.abs(all - expAll) <= Math.max(1e-6, 1e-4 * Math.abs(expAll)),
                name + ": total_all_layers " + all + " vs " + expAll);
    }

    /** A layer's part of an output as a top-level-shaped object ({@code l = -1}: the top layer). */
    private static Map<String, Object> layerOf(Map<String, Object> out, int l) {
        if (l < 0) {
            return out;
        }
        return Map.of("matches", JsonTree.arr(out.get("aux_matches")).get(l),
                "matching_cost", JsonTree.arr(out.get("aux_matching_cost")).get(l),
                "loss", JsonTree.arr(out.get("aux_losses")).get(l));
    }

    private static void checkLayer(ReferenceProblem p, Map<String, Object> out, Map<String, Object> exp,
            Map<String, Object> grad, Map<String, Object> expGrad, String label) {
        OutputChecks.Pairs got = OutputChecks.pairs(out);
        List<Object> costs = JsonTree.arr(out.get("matching_cost"));
        int qg = p.queries / p.groups;
        for (int b = 0; b < p.batch; b++) {
            String where = label + " image " + b;
            int[] pred = got.pred()[b];
            int[] target = got.target()[b];
            assertEquals(p.groups * Math.min(qg, p.targets(b)), pred.length, where + ": G*min(Q/G, M_b) pairs");
            assertEquals(pred.length, target.length, where + ": pred and target lengths");
            boolean[][] seen = new boolean[p.groups][p.targets(b)];
            for (int i = 0; i < pred.length; i++) {
                assertTrue(pred[i] >= 0 && pred[i] < p.queries, where + ": pred index in range");
                assertTrue(i == 0 || pred[i] > pred[i - 1], where + ": pred strictly ascending");
                assertTrue(target[i] >= 0 && target[i] < p.targets(b), where + ": target index in range");
                int g = pred[i] / qg;
                assertTrue(!seen[g][target[i]], where + ": target " + target[i] + " twice in group " + g);
                seen[g][target[i]] = true;
            }
            double c = p.matchingCost(b, pred, target);
            double opt = p.groupedOptimum(b);
            assertTrue(Math.abs(c - opt) <= Math.max(1e-4, 1e-4 * Math.abs(opt)),
                    where + ": matching cost " + c + " is not the sum of the groups' optima " + opt);
            double reported = JsonTree.num(costs.get(b));
            assertTrue(Math.abs(reported - c) <= Math.max(1e-4, 1e-4 * Math.abs(c)),
                    where + ": matching_cost " + reported + " vs recomputed " + c);
        }
        // the ext cases have unique optima, so the file's loss and gradients belong to this matching
        OutputChecks.assertSame(OutputChecks.pairs(exp), got, label);
        OutputChecks.checkLoss(OutputChecks.lossOf(exp), JsonTree.obj(out.get("loss")), label);
        OutputChecks.checkLoss(p.loss(OutputChecks.assignment(p, got)), JsonTree.obj(out.get("loss")),
                label + " (float64 oracle)");
        OutputChecks.checkShape(grad.get("pred_logits"), p.batch, p.queries, p.numLogits, label + ": grad.pred_logits");
        OutputChecks.checkShape(grad.get("pred_boxes"), p.batch, p.queries, 4, label + ": grad.pred_boxes");
        OutputChecks.checkArray(JsonTree.flat3(expGrad.get("pred_logits")), JsonTree.flat3(grad.get("pred_logits")),
                label + ": grad.pred_logits");
        OutputChecks.checkArray(JsonTree.flat3(expGrad.get("pred_boxes")), JsonTree.flat3(grad.get("pred_boxes")),
                label + ": grad.pred_boxes");
    }
}
