package dev.hungarian4j.djl.examples;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on standard error (standard output keeps only the final JSON line). */
final class ConsoleProgress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long total;
    private final long startNanos = System.nanoTime();
    private int lastPercent = -1;

    ConsoleProgress(PrintStream out, long total) {
        this.out = out;
        this.total = total;
    }

    void update(long done, double loss) {
        int percent = (int) (100 * done / total);
        if (percent == lastPercent && done != total) {
            return;
        }
        lastPercent = percent;
        int filled = (int) (WIDTH * done / total);
        double secs = (System.nanoTime() - startNanos) / 1e9;
        out.printf(Locale.ROOT, "\r[%s%s] %3d%% step %d/%d loss %.4f %.1f steps/s", "=".repeat(filled),
                " ".repeat(WIDTH - filled), percent, done, total, loss, done / Math.max(secs, 1e-9));
        if (done == total) {
            out.println();
        }
        out.flush();
    }
}
