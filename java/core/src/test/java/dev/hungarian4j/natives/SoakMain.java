package dev.hungarian4j.natives;

import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.SyntheticBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;


/**
 * The soak run of {@link SoakTest}, in a JVM of its own whose heap is fixed and pre-touched, so that its resident
 * set moves only with native memory: 100,000 native calls (half through the array API, half through
 * {@link NativeBufferLoss}, a few refused as bad input). Prints the RSS at the start (after a warm-up of a tenth of
 * the calls) and at the end; exits 1 when it grew by more than the slack.
 */
final class SoakMain {
    private static final int CALLS = 100_000;
    /** Slack for the JIT, the GC's heap sizing and allocator noise; a leak of 100 bytes per call is 10 MB. */
    private static final long SLACK_KB = 16 * 1024;

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    private static FloatBuffer floats(float[] a) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * a.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(a).flip();
        return b;
    }

    private static IntBuffer ints(int[] a) {
        IntBuffer b = ByteBuffer.allocateDirect(4 * Math.max(1, a.length)).order(ByteOrder.nativeOrder()).asIntBuffer();
        b.put(a).flip();
        return b;
    }

    private SoakMain() {
    }

    public static void main(String[] args) throws IOException {
        Batch batch = SyntheticBatch.generate(41, 2, 10, 3, 3);
        int rows = batch.batch() * batch.queries();
        int c = batch.numLogits();
        NativeBackend nb = NativeBackend.instance();
        int[] assign = new int[rows];
        double[] cost = new double[batch.batch()];
        double[] terms = new double[5];
        float[] gl = new float[rows * c];
        float[] gb = new float[rows * 4];
        NativeBufferLoss loss = new NativeBufferLoss(HungarianConfig.DEFAULTS);
        BufferBatch in = new BufferBatch(batch.batch(), batch.queries(), c)
                .predictions(floats(batch.predictions().logits()), floats(batch.predictions().boxes()))
                .targets(ints(batch.targets().offsets()), ints(batch.targets().labels()),
                        floats(batch.targets().boxes()));
        BufferOutputs out = new BufferOutputs().assignment(ints(new int[rows]))
                .gradients(floats(new float[rows * c]), floats(new float[rows * 4]));
        BufferBatch bad = new BufferBatch(batch.batch() + 5, batch.queries(), c)
                .predictions(floats(batch.predictions().logits()), floats(batch.predictions().boxes()))
                .targets(ints(batch.targets().offsets()), ints(batch.targets().labels()),
                        floats(batch.targets().boxes()));
        long start = 0;
        int refused = 0;
        for (int i = 0; i < CALLS; i++) {
            if (i == CALLS / 10) {
                System.gc();
                start = rssKb();
            }
            if ((i & 1) == 0) {
                nb.forwardInto(HungarianConfig.DEFAULTS, batch, assign, cost, terms, gl, gb);
            } else if (i % 1001 == 1) {
                try {
                    loss.forward(bad, out);
                } catch (dev.hungarian4j.InvalidInputException e) {
                    refused++;
                }
            } else {
                loss.forward(in, out);
            }
        }
        System.gc();
        long end = rssKb();
        System.out.printf("soak: %d native calls (%d refused), RSS start %d kB, end %d kB, growth %d kB%n", CALLS,
                refused, start, end, end - start);
        if (refused == 0 || end - start >= SLACK_KB) {
            System.out.println("soak: FAILED (" + (refused == 0 ? "no bad call was refused"
                    : "RSS grew by more than " + SLACK_KB + " kB") + ")");
            System.exit(1);
        }
        System.out.println("soak: ok");
    }
}
