package dev.hungarian4j.cli;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.MatcherKind;
import dev.hungarian4j.Matching;
import dev.hungarian4j.SyntheticBatch;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bench --dump-costs FILE}: writes the cost blocks of the seeded batches that {@code bench} times, so that
 * another solver (scipy's {@code linear_sum_assignment}, see {@code bench/scipy_lsap.py}) runs on exactly the same
 * problems. Little-endian binary:
 * <pre>
 * "H4JCOST1"                      8 bytes
 * int32 records                   one per size
 * per record:
 *   int32 B, Q, K, M
 *   int32 offsets[B+1]            targets of image b are offsets[b] .. offsets[b+1]
 *   float32 costs[Q*offsets[B]]   block b (Q x M_b, row-major) at Q*offsets[b]
 *   float64 optimal[B]            the exact matcher's total cost per image (the parity check)
 * </pre>
 */
final class CostDump {
    static final byte[] MAGIC = "H4JCOST1".getBytes(StandardCharsets.US_ASCII);

    private CostDump() {
    }

    /**
     * Generates each size's batch with {@code seed} (as {@link BenchRunner} does), builds its cost blocks and exact
     * matching on {@code kind}, and writes them.
     */
    static void write(Path file, List<BenchSize> sizes, long seed, BackendKind kind) {
        HungarianLoss loss = HungarianLoss.create(HungarianConfig.DEFAULTS, kind, MatcherKind.EXACT);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                out.write(MAGIC);
                out.write(le(4).putInt(sizes.size()).array());
                for (BenchSize size : sizes) {
                    Batch batch = SyntheticBatch.generate(seed, size.batch(), size.queries(), size.classes(),
                            size.targets());
                    float[] costs = loss.costs(batch);
                    Matching m = loss.match(batch);
                    int[] offsets = batch.targets().offsets();
                    ByteBuffer head = le(4 * (4 + offsets.length));
                    head.putInt(size.batch()).putInt(size.queries()).putInt(size.classes()).putInt(size.targets());
                    for (int o : offsets) {
                        head.putInt(o);
                    }
                    out.write(head.array());
                    ByteBuffer c = le(4 * costs.length);
                    c.asFloatBuffer().put(costs);
                    out.write(c.array());
                    ByteBuffer opt = le(8 * batch.batch());
                    opt.asDoubleBuffer().put(m.costs());
                    out.write(opt.array());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cost dump " + file, e);
        }
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
