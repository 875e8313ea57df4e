package dev.hungarian4j.natives;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianException;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.Predictions;
import dev.hungarian4j.Targets;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer fuzzing of the Java API in front of every native entry point (issue 10, "guards"): shapes, offsets, labels,
 * buffer positions and byte orders, pointer positions, non-finite and huge values, arrays changed after
 * construction, and aux decoder layers (the layered calls: arrays, and buffers of L stacked layers). A native crash kills the JVM and fails the run; any exception other than
 * {@link HungarianException} (whose subclasses {@code InvalidInputException} is not: it is an
 * {@link IllegalArgumentException}) or {@link dev.hungarian4j.InvalidInputException} fails the test. Without
 * {@code JAZZER_FUZZ} the seeds in the test resources run as regression tests.
 */
@Tag("fuzz") // run by .ci/fuzz.sh (fuzzing) and -Dh4j.test.excludedGroups= (seeds); excluded by default
class NativeApiFuzzTest {
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, 0.5f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, 3e38f, -3e38f, 1e-30f};

    private static float value(FuzzedDataProvider d) {
        return d.consumeBoolean() ? SPECIAL[d.consumeInt(0, SPECIAL.length - 1)] : d.consumeFloat();
    }

    private static float[] floats(FuzzedDataProvider d, int n) {
        float[] a = new float[Math.max(0, n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = d.consumeBoolean() ? d.consumeRegularFloat(0f, 1f) : value(d);
        }
        return a;
    }

    private static int size(FuzzedDataProvider d) {
        return d.consumeBoolean() ? d.consumeInt(1, 6) : d.consumeInt();
    }

    private static boolean expected(RuntimeException e) {
        return e instanceof dev.hungarian4j.InvalidInputException || e instanceof HungarianException;
    }

    /** One target for both halves (one fuzz target per JVM, so one CI run covers both). */
    @FuzzTest(maxDuration = "20s")
    void api(FuzzedDataProvider d) {
        if (d.consumeBoolean()) {
            arrays(d);
        } else {
            buffers(d);
        }
    }

    /** The array API of every CPU backend and matcher, with arrays changed after construction. */
    private static void arrays(FuzzedDataProvider d) {
        int b = d.consumeInt(1, 4);
        int q = d.consumeInt(1, 6);
        int c = d.consumeInt(2, 5);
        int[] offsets = new int[b + 1];
        for (int i = 1; i <= b; i++) {
            offsets[i] = offsets[i - 1] + d.consumeInt(0, 7);
        }
        int t = offsets[b];
        int[] labels = new int[t];
        for (int i = 0; i < t; i++) {
            labels[i] = d.consumeInt(0, c - 2);
        }
        float[] tboxes = new float[4 * t];
        for (int i = 0; i < tboxes.length; i++) {
            tboxes[i] = d.consumeRegularFloat(0f, 1f);
        }
        float[] logits = floats(d, b * q * c);
        float[] boxes = new float[b * q * 4];
        for (int i = 0; i < boxes.length; i++) {
            boxes[i] = d.consumeRegularFloat(0f, 1f);
        }
        // aux decoder layers (contract.md section 3): L - 1 more layers of the same shape, one native call for all
        int layers = d.consumeInt(1, 3);
        float[][] auxLogits = new float[layers - 1][];
        float[][] auxBoxes = new float[layers - 1][];
        List<Predictions> aux = new ArrayList<>();
        Batch batch;
        try {
            for (int l = 0; l < layers - 1; l++) {
                auxLogits[l] = floats(d, b * q * c);
                auxBoxes[l] = new float[b * q * 4];
                for (int i = 0; i < auxBoxes[l].length; i++) {
                    auxBoxes[l][i] = d.consumeRegularFloat(0f, 1f);
                }
                aux.add(new Predictions(b, q, c, auxLogits[l], auxBoxes[l]));
            }
            batch = new Batch(new Predictions(b, q, c, logits, boxes), new Targets(offsets, labels, tboxes), aux);
        } catch (RuntimeException e) {
            if (!expected(e)) {
                throw e;
            }
            return;
        }
        // then break things behind the API's back
        int edits = d.consumeInt(0, 3);
        for (int k = 0; k < edits; k++) {
            switch (d.consumeInt(0, 5)) {
                case 0 -> offsets[d.consumeInt(0, b)] = size(d);
                case 1 -> { if (t > 0) labels[d.consumeInt(0, t - 1)] = d.consumeInt(); }
                case 2 -> { if (t > 0) tboxes[d.consumeInt(0, 4 * t - 1)] = value(d); }
                case 3 -> boxes[d.consumeInt(0, boxes.length - 1)] = value(d);
                case 4 -> {
                    if (layers > 1) {
                        int l = d.consumeInt(0, layers - 2);
                        if (d.consumeBoolean()) {
                            auxLogits[l][d.consumeInt(0, auxLogits[l].length - 1)] = value(d);
                        } else {
                            auxBoxes[l][d.consumeInt(0, auxBoxes[l].length - 1)] = value(d);
                        }
                    }
                }
                default -> logits[d.consumeInt(0, logits.length - 1)] = value(d);
            }
        }
        BackendKind kind = d.consumeBoolean() ? BackendKind.NATIVE : BackendKind.JVM;
        MatcherKind matcher = d.consumeBoolean() ? MatcherKind.EXACT : MatcherKind.AUCTION;
        try {
            HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, kind, matcher);
            switch (d.consumeInt(0, 3)) {
                case 0 -> loss.compute(batch, d.consumeBoolean());
                case 1 -> loss.match(batch);
                case 2 -> { // every layer's gradients into caller-owned arrays, some of them too short or missing
                    float[][] gl = new float[layers][];
                    float[][] gb = new float[layers][];
                    for (int l = 0; l < layers; l++) {
                        gl[l] = d.consumeInt(0, 7) == 0 ? null : new float[Math.max(0, b * q * c - d.consumeInt(0, 1))];
                        gb[l] = new float[b * q * 4];
                    }
                    loss.computeInto(batch, gl, gb);
                }
                default -> loss.costs(batch);
            }
        } catch (RuntimeException e) {
            if (!expected(e)) {
                throw e;
            }
        }
    }

    /** NativeBufferLoss on buffers and pointers with hostile shapes, positions, orders and limits. */
    private static void buffers(FuzzedDataProvider d) {
        int b = d.consumeBoolean() ? d.consumeInt(1, 3) : size(d);
        int q = d.consumeBoolean() ? d.consumeInt(1, 5) : size(d);
        int c = d.consumeBoolean() ? d.consumeInt(2, 4) : size(d);
        int cap = 256;
        ByteOrder order = d.consumeBoolean() ? ByteOrder.nativeOrder() : ByteOrder.BIG_ENDIAN;
        FloatBuffer logits = ByteBuffer.allocateDirect(4 * cap).order(order).asFloatBuffer();
        FloatBuffer boxes = ByteBuffer.allocateDirect(4 * cap).order(ByteOrder.nativeOrder()).asFloatBuffer();
        IntBuffer offsets = ByteBuffer.allocateDirect(4 * 16).order(ByteOrder.nativeOrder()).asIntBuffer();
        IntBuffer labels = ByteBuffer.allocateDirect(4 * 32).order(ByteOrder.nativeOrder()).asIntBuffer();
        FloatBuffer tboxes = ByteBuffer.allocateDirect(4 * 128).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < cap; i++) {
            logits.put(i, value(d));
            boxes.put(i, d.consumeBoolean() ? d.consumeRegularFloat(0f, 1f) : value(d));
        }
        for (int i = 0; i < 16; i++) {
            offsets.put(i, d.consumeBoolean() ? Math.min(i, 8) * 2 : d.consumeInt(-4, 40));
        }
        for (int i = 0; i < 32; i++) {
            labels.put(i, d.consumeInt(-1, 4));
        }
        for (int i = 0; i < 128; i++) {
            tboxes.put(i, d.consumeBoolean() ? d.consumeRegularFloat(0f, 1f) : value(d));
        }
        logits.position(d.consumeInt(0, cap)).limit(d.consumeInt(logits.position(), cap));
        offsets.position(d.consumeInt(0, 8));
        labels.position(d.consumeInt(0, 31));
        IntBuffer assign = ByteBuffer.allocateDirect(4 * 64).order(ByteOrder.nativeOrder()).asIntBuffer();
        assign.position(d.consumeInt(0, 64));
        FloatBuffer gl = ByteBuffer.allocateDirect(4 * cap).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer gb = ByteBuffer.allocateDirect(4 * cap).order(ByteOrder.nativeOrder()).asFloatBuffer();
        gl.position(d.consumeInt(0, cap));
        try {
            NativeBufferLoss loss = new NativeBufferLoss(HungarianConfig.DEFAULTS);
            BufferBatch in = new BufferBatch(b, q, c);
            if (d.consumeBoolean()) {
                in.predictions(logits, boxes).targets(offsets, labels, tboxes);
            } else {
                FloatPointer lp = new FloatPointer(logits.duplicate().clear());
                lp.position(d.consumeLong(-8, 300));
                if (d.consumeBoolean() && b > 0 && q > 0 && c > 0 && (long) b * q * c <= cap) {
                    lp.limit(0); // a pointer without a limit is trusted: only where it truly is large enough
                    lp.position(0);
                }
                IntPointer op = new IntPointer(offsets.duplicate().clear());
                op.position(d.consumeLong(-3, 20));
                in.predictions(lp, new FloatPointer(boxes)).targets(op, new IntPointer(labels),
                        new FloatPointer(tboxes));
            }
            BufferOutputs out = new BufferOutputs().assignment(assign);
            if (d.consumeBoolean()) {
                out.gradients(gl, gb);
            }
            if (d.consumeBoolean()) {
                loss.forward(in, out);
            } else { // L layers stacked in the same regions: L times the reads and writes, all bounded
                new NativeLayeredBufferLoss(HungarianConfig.DEFAULTS).forward(d.consumeInt(-1, 4), in, out);
            }
        } catch (RuntimeException e) {
            if (!expected(e)) {
                throw e;
            }
        }
    }
}
