package dev.hungarian4j.cli;

import dev.hungarian4j.InvalidInputException;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws benchmark results as one PNG (headless, XChart): four panels, one per stage ({@code total}, {@code match},
 * {@code cost}, {@code loss}), each with the median time per whole batch in microseconds on a logarithmic axis
 * against the problem size ({@code BxQxKxM}, in the order given), one line per backend.
 */
final class BenchPlot {
    /** Panel order: the whole call first, then the matching alone, then the other two stages. */
    private static final int[] PANELS = {3, 1, 0, 2};
    private static final String[] PANEL_TITLES = {
        "cost: all cost blocks", "match: matching alone on precomputed costs",
        "loss: loss and gradients, matching fixed", "total: one whole call (costs, match, loss, gradients)"};
    private static final int PANEL_W = 800;
    private static final int PANEL_H = 560;
    /** Log axes need positive values; a median rounded to 0 µs is drawn here. */
    private static final double FLOOR_US = 0.1;

    private BenchPlot() {
    }

    /**
     * Writes the PNG.
     *
     * @param file       the PNG to (over)write
     * @param results    the results, in run order
     * @param iterations timed runs per stage (for the caption)
     */
    static void write(Path file, List<BenchResult> results, int iterations) {
        System.setProperty("java.awt.headless", "true");
        List<String> sizes = new ArrayList<>();
        Map<String, List<BenchResult>> bySeries = new LinkedHashMap<>();
        for (BenchResult r : results) {
            String size = r.size().toString();
            if (!sizes.contains(size)) {
                sizes.add(size);
            }
            bySeries.computeIfAbsent(r.backend() + " (" + r.matcher() + ")", k -> new ArrayList<>()).add(r);
        }
        BufferedImage image = new BufferedImage(2 * PANEL_W, 2 * PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int p = 0; p < PANELS.length; p++) {
                CategoryChart chart = panel(PANELS[p], sizes, bySeries, iterations);
                BufferedImage panel = BitmapEncoder.getBufferedImage(chart);
                g.drawImage(panel, (p % 2) * PANEL_W, (p / 2) * PANEL_H, null);
            }
        } finally {
            g.dispose();
        }
        checkTarget(file);
        Path tmp = null;
        try {
            // ImageIO deletes what is at the path before writing (a FIFO, a device): write a complete PNG beside
            // it, then rename it into place, so the target is only ever a whole new regular file
            tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the failure that matters is reported above
                }
            }
        }
    }

    /**
     * Refuses a plot path that is not a regular file or a new name in an existing folder (checked before the
     * benchmark runs, and again before writing).
     *
     * @param file the {@code --plot} argument
     * @throws InvalidInputException naming {@code --plot}
     */
    static void checkTarget(Path file) {
        Path abs = file.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InvalidInputException("--plot", "is " + file + "; its folder " + parent
                    + " does not exist (create it first)");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException("--plot", "is " + file
                    + "; it exists and is not a regular file (a folder, a device, a pipe or a link), so it is not "
                    + "replaced");
        }
    }

    private static CategoryChart panel(int stage, List<String> sizes, Map<String, List<BenchResult>> bySeries,
            int iterations) {
        CategoryChart chart = new CategoryChartBuilder().width(PANEL_W).height(PANEL_H)
                .title(PANEL_TITLES[stage])
                .xAxisTitle("size B x Q x K x M (images x queries x classes x targets per image)")
                .yAxisTitle(String.format(Locale.ROOT, "median time per batch, \u00b5s (log scale, %d runs)", iterations))
                .theme(Styler.ChartTheme.XChart)
                .build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setOverlapped(true); // every series' point on its category, not side by side
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(220, 220, 220));
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setAntiAlias(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Map.Entry<String, List<BenchResult>> e : bySeries.entrySet()) {
            List<String> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (String size : sizes) {
                for (BenchResult r : e.getValue()) {
                    if (r.size().toString().equals(size)) {
                        xs.add(size);
                        double y = Math.max(FLOOR_US, r.medianUs()[stage]);
                        ys.add(y);
                        lo = Math.min(lo, y);
                        hi = Math.max(hi, y);
                        break;
                    }
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            CategorySeries s = chart.addSeries(e.getKey(), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        if (hi > 0) { // whole decades, so that the log axis labels at least two powers of ten
            double min = Math.pow(10, Math.floor(Math.log10(lo)));
            double max = Math.pow(10, Math.ceil(Math.log10(hi)));
            chart.getStyler().setYAxisMin(min);
            chart.getStyler().setYAxisMax(max > min ? max : min * 10);
        }
        return chart;
    }
}
