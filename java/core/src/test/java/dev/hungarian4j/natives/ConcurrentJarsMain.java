package dev.hungarian4j.natives;

import dev.hungarian4j.BackendKind;
import dev.hungarian4j.Batch;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.HungarianLoss;
import dev.hungarian4j.SyntheticBatch;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One JVM of {@link ConcurrentJarsTest}: loads the native backend, computes a loss, and prints which
 * {@code libhungarian4j.so} it mapped.
 */
public final class ConcurrentJarsMain {
    private ConcurrentJarsMain() {
    }

    public static void main(String[] args) throws Exception {
        if (!NativeBackend.status().available()) {
            System.out.println("native backend unavailable: " + NativeBackend.status().detail());
            System.exit(3);
        }
        Batch batch = SyntheticBatch.generate(7, 8, 100, 91, 10);
        double total = HungarianLoss.create(HungarianConfig.DEFAULTS, BackendKind.NATIVE).compute(batch, true).loss()
                .total();
        if (!Double.isFinite(total)) {
            System.out.println("loss not finite: " + total);
            System.exit(4);
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int at = line.indexOf('/');
            if (at >= 0 && line.contains("/libhungarian4j.so")) { // " (deleted)" after it: unlinked under us
                System.out.println("mapped: " + line.substring(at));
                return;
            }
        }
        System.out.println("libhungarian4j.so is not mapped");
        System.exit(5);
    }
}
