package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossResult;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.SyntheticBatch;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BufferBatch} / {@link BufferOutputs}: buffers used from position to limit, refused when their byte order is
 * foreign or an output is read-only, pointers refused with a negative position, and offsets raised in shared memory
 * after checking never read past the labels (issue 10, items 2-4).
 */
class BufferBatchTest {
    private static final int PAD = 7; // elements in front of every region: its position

    private static ByteBuffer bytes(long elements, int size, ByteOrder order) {
        return ByteBuffer.allocateDirect((int) ((elements + PAD) * size)).order(order);
    }

    /** A direct buffer whose position is PAD, holding {@code a} from there, with NaN garbage before it. */
    private static FloatBuffer floatsAt(float[] a, ByteOrder order) {
        FloatBuffer b = bytes(a.length, 4, order).asFloatBuffer();
        for (int i = 0; i < PAD; i++) {
            b.put(Float.NaN);
        }
        b.put(a).position(PAD);
        return b;
    }

    private static IntBuffer intsAt(int[] a) {
        IntBuffer b = bytes(a.length, 4, ByteOrder.nativeOrder()).asIntBuffer();
        for (int i = 0; i < PAD; i++) {
            b.put(-99);
        }
        b.put(a).position(PAD);
        return b;
    }

    private static FloatBuffer outFloats(long n) {
        FloatBuffer b = bytes(n, 4, ByteOrder.nativeOrder()).asFloatBuffer();
        b.position(PAD);
        return b;
    }

    private static Batch batch() {
        return SyntheticBatch.generate(31, 20, 9, new int[] {3, 0, 5});
    }

    private static BufferBatch in(Batch batch) {
        return new BufferBatch(batch.batch(), batch.queries(), batch.numLogits())
                .predictions(floatsAt(batch.predictions().logits(), ByteOrder.nativeOrder()),
                        floatsAt(batch.predictions().boxes(), ByteOrder.nativeOrder()))
                .targets(intsAt(batch.targets().offsets()), intsAt(batch.targets().labels()),
                        floatsAt(batch.targets().boxes(), ByteOrder.nativeOrder()));
    }

    @Test
    void buffersAreReadAndWrittenFromTheirPosition() {
        Batch batch = batch();
        LossResult expected = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(batch, true);
        int rows = batch.batch() * batch.queries();
        int c = batch.numLogits();
        IntBuffer assign = intsAt(new int[rows]);
        DoubleBuffer cost = ByteBuffer.allocateDirect(8 * (batch.batch() + PAD)).order(ByteOrder.nativeOrder())
                .asDoubleBuffer().position(PAD);
        FloatBuffer gl = outFloats((long) rows * c);
        FloatBuffer gb = outFloats(rows * 4L);
        BufferOutputs out = new BufferOutputs().assignment(assign).matchingCost(cost).gradients(gl, gb);
        NativeBufferLoss loss = new NativeBufferLoss(HungarianConfig.DEFAULTS);
        BufferBatch in = in(batch);
        for (int call = 0; call < 3; call++) { // reusable: same results every call
            LossTerms t = loss.forward(in, out);
            assertEquals(expected.loss(), t);
        }
        int[] a = new int[rows];
        assign.duplicate().get(a);
        assertArrayEquals(expected.matching().assignment(), a);
        float[] g = new float[rows * c];
        gl.duplicate().get(g);
        assertArrayEquals(expected.gradLogits(), g);
        float[] g2 = new float[rows * 4];
        gb.duplicate().get(g2);
        assertArrayEquals(expected.gradBoxes(), g2);
        double[] mc = new double[batch.batch()];
        cost.duplicate().get(mc);
        assertArrayEquals(expected.matching().costs(), mc);
        for (int i = 0; i < PAD; i++) { // nothing written before the caller's regions
            assertEquals(0f, gl.get(i));
            assertEquals(0f, gb.get(i));
            assertEquals(-99, assign.get(i));
        }
    }

    @Test
    void theDeprecatedBufferForwardHonoursPositionsToo() {
        Batch batch = batch();
        LossResult expected = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(batch, false);
        int rows = batch.batch() * batch.queries();
        IntBuffer assign = intsAt(new int[rows]);
        @SuppressWarnings("deprecation")
        LossTerms t = new NativeBufferLoss(HungarianConfig.DEFAULTS).forward(batch.batch(), batch.queries(),
                batch.numLogits(), floatsAt(batch.predictions().logits(), ByteOrder.nativeOrder()),
                floatsAt(batch.predictions().boxes(), ByteOrder.nativeOrder()), intsAt(batch.targets().offsets()),
                intsAt(batch.targets().labels()), floatsAt(batch.targets().boxes(), ByteOrder.nativeOrder()), assign,
                null, null, null);
        assertEquals(expected.loss(), t);
    }

    @Test
    void aForeignByteOrderIsRefusedNamingTheArgument() {
        Batch batch = batch();
        ByteOrder foreign = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN;
        BufferBatch in = new BufferBatch(batch.batch(), batch.queries(), batch.numLogits());
        FloatBuffer boxes = floatsAt(batch.predictions().boxes(), ByteOrder.nativeOrder());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> in.predictions(floatsAt(batch.predictions().logits(), foreign), boxes));
        assertEquals("pred_logits", e.field());
        assertTrue(e.getMessage().contains(foreign.toString()), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new BufferOutputs()
                .gradients(outFloats(10), bytes(10, 4, foreign).asFloatBuffer()));
        assertEquals("grad_boxes", e.field());
    }

    @Test
    void readOnlyOutputsAreRefusedAndReadOnlyInputsAccepted() {
        Batch batch = batch();
        int rows = batch.batch() * batch.queries();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new BufferOutputs().assignment(intsAt(new int[rows]).asReadOnlyBuffer()));
        assertEquals("assign_out", e.field());
        e = assertThrows(InvalidInputException.class, () -> new BufferOutputs().matchingCost(
                ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder()).asDoubleBuffer().asReadOnlyBuffer()));
        assertEquals("matching_cost_out", e.field());
        BufferBatch in = new BufferBatch(batch.batch(), batch.queries(), batch.numLogits())
                .predictions(floatsAt(batch.predictions().logits(), ByteOrder.nativeOrder()).asReadOnlyBuffer(),
                        floatsAt(batch.predictions().boxes(), ByteOrder.nativeOrder()).asReadOnlyBuffer())
                .targets(intsAt(batch.targets().offsets()).asReadOnlyBuffer(),
                        intsAt(batch.targets().labels()).asReadOnlyBuffer(),
                        floatsAt(batch.targets().boxes(), ByteOrder.nativeOrder()).asReadOnlyBuffer());
        LossTerms t = new NativeBufferLoss(HungarianConfig.DEFAULTS).forward(in,
                new BufferOutputs().assignment(intsAt(new int[rows])));
        assertEquals(HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(batch, false).loss(), t);
    }

    @Test
    void negativePointerPositionsAreRefused() {
        Batch batch = batch();
        int rows = batch.batch() * batch.queries();
        try (FloatPointer l = new FloatPointer(batch.predictions().logits());
             FloatPointer bx = new FloatPointer(batch.predictions().boxes());
             IntPointer off = new IntPointer(batch.targets().offsets());
             IntPointer lab = new IntPointer(batch.targets().labels());
             FloatPointer tb = new FloatPointer(batch.targets().boxes());
             IntPointer as = new IntPointer(rows)) {
            BufferBatch in = new BufferBatch(batch.batch(), batch.queries(), batch.numLogits()).predictions(l, bx)
                    .targets(off, lab, tb);
            BufferOutputs out = new BufferOutputs().assignment(as);
            NativeBufferLoss loss = new NativeBufferLoss(HungarianConfig.DEFAULTS);
            loss.forward(in, out);
            l.position(-3);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.forward(in, out));
            assertEquals("pred_logits", e.field());
            assertTrue(e.getMessage().contains("-3"), e.getMessage());
            l.position(0);
            off.position(-1);
            e = assertThrows(InvalidInputException.class, () -> loss.forward(in, out));
            assertEquals("offsets", e.field());
            off.position(0);
            as.position(-1_000_000_000L);
            e = assertThrows(InvalidInputException.class, () -> loss.forward(in, out));
            assertEquals("assign_out", e.field());
        }
    }

    @Test
    void offsetsRaisedAfterTheyWereSetAreCheckedAtCallTime() {
        Batch batch = batch();
        int rows = batch.batch() * batch.queries();
        IntBuffer offsets = intsAt(batch.targets().offsets());
        BufferBatch in = new BufferBatch(batch.batch(), batch.queries(), batch.numLogits())
                .predictions(floatsAt(batch.predictions().logits(), ByteOrder.nativeOrder()),
                        floatsAt(batch.predictions().boxes(), ByteOrder.nativeOrder()))
                .targets(offsets, intsAt(batch.targets().labels()),
                        floatsAt(batch.targets().boxes(), ByteOrder.nativeOrder()));
        BufferOutputs out = new BufferOutputs().assignment(intsAt(new int[rows]));
        NativeBufferLoss loss = new NativeBufferLoss(HungarianConfig.DEFAULTS);
        int last = PAD + batch.batch();
        offsets.put(last, offsets.get(last) + 1_000_000); // far past the labels: once a SIGSEGV
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.forward(in, out));
        assertEquals("labels", e.field());
        offsets.put(last, offsets.get(last) - 1_000_000 + 1); // one past: once a silently wrong loss
        e = assertThrows(InvalidInputException.class, () -> loss.forward(in, out));
        assertEquals("labels", e.field());
    }

    /**
     * An empty region ({@code position == limit}) once became a JavaCPP pointer with limit 0, which the call trusts
     * as "unknown size": the native side then read B*Q*C floats past the buffer (Jazzer: SIGSEGV in all_finite).
     */
    @Test
    void emptyBufferRegionsAreRefusedNotTrusted() {
        Batch batch = batch();
        int rows = batch.batch() * batch.queries();
        NativeBufferLoss loss = new NativeBufferLoss(HungarianConfig.DEFAULTS);
        FloatBuffer emptyLogits = floatsAt(new float[4], ByteOrder.nativeOrder());
        emptyLogits.position(emptyLogits.limit());
        BufferBatch in = new BufferBatch(4096, 4096, 91) // 1.5e9 floats: far past any mapping
                .predictions(emptyLogits, floatsAt(batch.predictions().boxes(), ByteOrder.nativeOrder()))
                .targets(intsAt(new int[4097]), intsAt(new int[0]), floatsAt(new float[0], ByteOrder.nativeOrder()));
        BufferOutputs out = new BufferOutputs().assignment(intsAt(new int[rows]));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loss.forward(in, out));
        assertEquals("pred_logits", e.field());
        assertTrue(e.getMessage().contains("0 elements"), e.getMessage());

        // outputs too: an empty assignment or gradient region is not a licence to write B*Q values
        BufferBatch ok = in(batch);
        IntBuffer emptyAssign = intsAt(new int[0]);
        e = assertThrows(InvalidInputException.class,
                () -> loss.forward(ok, new BufferOutputs().assignment(emptyAssign)));
        assertEquals("assign_out", e.field());
        FloatBuffer emptyGrad = outFloats(0);
        e = assertThrows(InvalidInputException.class, () -> loss.forward(ok, new BufferOutputs()
                .assignment(intsAt(new int[rows])).gradients(emptyGrad, outFloats(rows * 4L))));
        assertEquals("grad_logits", e.field());

        // while an empty labels region is right for a batch without targets
        Batch none = SyntheticBatch.generate(5, 6, 3, new int[] {0, 0});
        BufferBatch noTargets = new BufferBatch(2, 6, none.numLogits())
                .predictions(floatsAt(none.predictions().logits(), ByteOrder.nativeOrder()),
                        floatsAt(none.predictions().boxes(), ByteOrder.nativeOrder()))
                .targets(intsAt(new int[3]), intsAt(new int[0]), floatsAt(new float[0], ByteOrder.nativeOrder()));
        LossTerms t = loss.forward(noTargets, new BufferOutputs().assignment(intsAt(new int[12])));
        assertEquals(HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(none, false).loss(), t);
    }

    @Test
    void shapesAndMissingRegionsAreRefused() {
        assertEquals("batch", assertThrows(InvalidInputException.class, () -> new BufferBatch(0, 1, 2)).field());
        assertEquals("queries", assertThrows(InvalidInputException.class, () -> new BufferBatch(1, -1, 2)).field());
        assertEquals("numLogits", assertThrows(InvalidInputException.class, () -> new BufferBatch(1, 1, -5)).field());
        assertEquals("queries", assertThrows(InvalidInputException.class,
                () -> new BufferBatch(65536, 65536, 2)).field());
        NativeBufferLoss loss = new NativeBufferLoss(HungarianConfig.DEFAULTS);
        assertEquals("offsets", assertThrows(InvalidInputException.class,
                () -> loss.forward(new BufferBatch(1, 1, 2), new BufferOutputs())).field());
        assertEquals("in", assertThrows(InvalidInputException.class,
                () -> loss.forward(null, new BufferOutputs())).field());
        assertEquals("grad_logits", assertThrows(InvalidInputException.class,
                () -> new BufferOutputs().gradients(null, outFloats(4))).field());
    }
}
