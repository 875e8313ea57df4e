package dev.hungarian4j.djl.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.SyntheticBatch;
import dev.hungarian4j.djl.DetrLossOutput;
import dev.hungarian4j.djl.HungarianDetrLoss;
import dev.hungarian4j.natives.BufferBatch;
import dev.hungarian4j.natives.BufferOutputs;
import dev.hungarian4j.natives.NativeBufferLoss;
import dev.hungarian4j.natives.NativeLayeredBufferLoss;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * The criterion step side by side, in one process on all cores, per size {@code BxQxKxM}:
 * (a) {@link HungarianDetrLoss} on DJL tensors (read in place, gradients into autograd), with and without the
 * backward pass that delivers them to the leaf tensors,
 * (b) {@link NativeBufferLoss} alone on direct buffers (value and gradients),
 * (c) {@link DjlOpsCriterion}: DETR's criterion in DJL NDArray ops with our exact matcher, and backward.
 * The three are run round-robin (a, b, c, a, b, c, ...) so that a change of machine load hits all of them. Each
 * round of (a) and (c) gets fresh leaf tensors in a scoped manager, as a training step does. Prints one line
 * per size and a JSON line per size with the medians and the ratios.
 *
 * <p>With {@code layers} L &gt; 1 (DETR's aux decoder layers), (a) reads stacked {@code (L, B, Q, C)} and
 * {@code (L, B, Q, 4)} leaves in place and (b) is {@link NativeLayeredBufferLoss} on the same L layers (the batch's
 * predictions repeated per layer); (c) is not run (it has no aux layers).
 *
 * <p>The warm-up ({@code warmup} calls of (a) and (b) per size, default 100) lets the JIT compile the adapter's
 * path and DJL's: with 5 calls, (a) was still interpreted and its median at 8x100x91x10 twice the compiled one.
 *
 * <p>Usage: {@code CriterionBench [sizes=8x100x91x10,...] [rounds=30] [cRounds=3] [layers=1] [warmup=100]}
 */
public final class CriterionBench {
    private CriterionBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional: comma-separated sizes, rounds for (a) and (b), rounds for (c)
     */
    public static void main(String[] args) {
        String sizes = args.length > 0 ? args[0] : "8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int layers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int cRounds = layers > 1 ? 0 : args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        HungarianConfig cfg = HungarianConfig.DEFAULTS;
        HungarianDetrLoss adapter = HungarianDetrLoss.builder().config(cfg).build();
        NativeBufferLoss direct = new NativeBufferLoss(cfg);
        NativeLayeredBufferLoss layered = new NativeLayeredBufferLoss(cfg);
        DjlOpsCriterion ops = new DjlOpsCriterion(cfg);
        try (NDManager root = NDManager.newBaseManager()) {
            for (String size : sizes.split(",")) {
                int[] d = Arrays.stream(size.split("x")).mapToInt(Integer::parseInt).toArray();
                Batch batch = SyntheticBatch.generate(42, d[0], d[1], d[2], d[3]);
                Direct buffers = new Direct(batch, layers);
                double[] a = new double[rounds];
                double[] a0 = new double[rounds];
                double[] b = new double[rounds];
                double[] c = new double[Math.max(cRounds, 1)];
                double[] va = new double[2];
                double[] vc = new double[1];
                // warm-up: the fast sides until compiled, one of (c)
                for (int w = 0; w < warmup; w++) {
                    timeAdapter(root, adapter, batch, layers, va);
                    buffers.time(direct, layered);
                }
                if (cRounds > 0) {
                    timeOps(root, ops, batch, vc);
                }
                for (int r = 0; r < rounds; r++) {
                    a[r] = timeAdapter(root, adapter, batch, layers, va);
                    a0[r] = va[1];
                    b[r] = buffers.time(direct, layered);
                    if (r < cRounds) {
                        c[r] = timeOps(root, ops, batch, vc);
                    }
                }
                double ma = median(a);
                double ma0 = median(a0);
                double mb = median(b);
                double mc = cRounds > 0 ? median(c) : Double.NaN;
                String sideC = cRounds == 0 ? "(c) not run (layers > 1)"
                        : String.format(Locale.ROOT, "(c) DJL ops+backward %9.1f ms  (c)/(a) %6.0f", mc, mc / ma);
                System.out.printf(Locale.ROOT, "%-14s layers %d  (a) adapter+backward %8.3f ms (criterion alone "
                        + "%8.3f)  (b) NativeBufferLoss %8.3f ms  %s  (a)/(b) %5.2f  (a criterion)/(b) %5.2f  "
                        + "loss a=%.6f c=%.6f%n", size, layers, ma, ma0, mb, sideC, ma / mb, ma0 / mb, va[0], vc[0]);
                System.out.printf(Locale.ROOT, "{\"size\": \"%s\", \"adapter_ms\": %.4f, "
                        + "\"adapter_criterion_ms\": %.4f, \"native_buffer_ms\": %.4f, \"djl_ops_ms\": %.2f, "
                        + "\"c_over_a\": %.1f, \"a_over_b\": %.3f, \"a_criterion_over_b\": %.3f, "
                        + "\"loss_a\": %.6f, \"loss_c\": %.6f, \"rounds\": %d, \"c_rounds\": %d, \"layers\": %d, "
                        + "\"warmup\": %d}%n", size, ma, ma0, mb, cRounds > 0 ? mc : -1, cRounds > 0 ? mc / ma : -1,
                        ma / mb, ma0 / mb, va[0], vc[0], rounds, cRounds, layers, warmup);
            }
        }
    }

    private static NDList leaves(NDManager m, Batch batch) {
        return leaves(m, batch, 1);
    }

    /** The batch's predictions as leaf tensors; L &gt; 1 stacks L copies as {@code (L, B, Q, ·)}. */
    private static NDList leaves(NDManager m, Batch batch, int layers) {
        Shape one = new Shape(batch.batch(), batch.queries());
        Shape lead = layers == 1 ? one : new Shape(layers).addAll(one);
        NDArray logits = m.create(repeat(batch.predictions().logits(), layers), lead.add(batch.numLogits()));
        NDArray boxes = m.create(repeat(batch.predictions().boxes(), layers), lead.add(4));
        logits.setRequiresGradient(true);
        boxes.setRequiresGradient(true);
        return new NDList(logits, boxes);
    }

    /**
     * (a): the adapter: criterion with the gradients wired into autograd ({@code value[1]}, ms), then the backward
     * pass that delivers them to the leaves (returned: both together, ms).
     */
    private static double timeAdapter(NDManager root, HungarianDetrLoss loss, Batch batch, int layers,
            double[] value) {
        try (NDManager m = root.newSubManager()) {
            NDList pred = leaves(m, batch, layers);
            long t0 = System.nanoTime();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                DetrLossOutput out = loss.compute(batch.targets(), pred);
                value[1] = (System.nanoTime() - t0) / 1e6;
                gc.backward(out.loss());
                value[0] = out.totalAllLayers();
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** (c): DETR's criterion in DJL ops, backward to the leaves. */
    private static double timeOps(NDManager root, DjlOpsCriterion ops, Batch batch, double[] value) {
        try (NDManager m = root.newSubManager()) {
            NDList pred = leaves(m, batch);
            long t0 = System.nanoTime();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray total = ops.total(m, pred.get(0), pred.get(1), batch);
                gc.backward(total);
                value[0] = total.getFloat();
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static float[] repeat(float[] v, int times) {
        float[] r = new float[v.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(v, 0, r, i * v.length, v.length);
        }
        return r;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /** (b): the batch (its predictions repeated per layer) in direct buffers, the outputs preallocated. */
    private static final class Direct {
        private final Batch batch;
        private final int layers;
        private final BufferBatch in;
        private final BufferOutputs out;
        private final FloatBuffer logits;
        private final FloatBuffer boxes;
        private final IntBuffer offsets;
        private final IntBuffer labels;
        private final FloatBuffer tboxes;
        private final IntBuffer assign;
        private final DoubleBuffer cost;
        private final FloatBuffer gl;
        private final FloatBuffer gb;

        Direct(Batch batch, int layers) {
            this.batch = batch;
            this.layers = layers;
            logits = floats(repeat(batch.predictions().logits(), layers));
            boxes = floats(repeat(batch.predictions().boxes(), layers));
            offsets = ints(batch.targets().offsets());
            labels = ints(batch.targets().labels().length == 0 ? new int[1] : batch.targets().labels());
            tboxes = floats(batch.targets().boxes().length == 0 ? new float[1] : batch.targets().boxes());
            assign = ints(new int[layers * batch.batch() * batch.queries()]);
            cost = ByteBuffer.allocateDirect(8 * layers * batch.batch()).order(ByteOrder.nativeOrder())
                    .asDoubleBuffer();
            gl = floats(new float[layers * batch.predictions().logits().length]);
            gb = floats(new float[layers * batch.predictions().boxes().length]);
            in = new BufferBatch(batch.batch(), batch.queries(), batch.numLogits()).predictions(logits, boxes)
                    .targets(offsets, labels, tboxes);
            out = new BufferOutputs().assignment(assign).matchingCost(cost).gradients(gl, gb);
        }

        double time(NativeBufferLoss loss, NativeLayeredBufferLoss layered) {
            long t0 = System.nanoTime();
            if (layers == 1) {
                loss.forward(batch.batch(), batch.queries(), batch.numLogits(), logits, boxes, offsets, labels,
                        tboxes, assign, cost, gl, gb);
            } else {
                layered.forward(layers, in, out);
            }
            return (System.nanoTime() - t0) / 1e6;
        }

        private static FloatBuffer floats(float[] v) {
            FloatBuffer b = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
            b.put(v).flip();
            return b;
        }

        private static IntBuffer ints(int[] v) {
            IntBuffer b = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.nativeOrder()).asIntBuffer();
            b.put(v).flip();
            return b;
        }
    }
}
