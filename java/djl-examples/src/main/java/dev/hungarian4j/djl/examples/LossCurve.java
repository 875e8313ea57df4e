package dev.hungarian4j.djl.examples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The training loss per step and its moving average, written as a PNG. */
final class LossCurve {
    private LossCurve() {
    }

    static void write(Path file, List<Double> losses, int window) throws IOException {
        int n = losses.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] avg = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = losses.get(i);
            sum += y[i];
            if (i >= window) {
                sum -= y[i - window];
            }
            avg[i] = sum / Math.min(i + 1, window);
        }
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("hungarian4j + DJL: DETR Hungarian loss on synthetic shapes")
                .xAxisTitle("step").yAxisTitle("loss").build();
        chart.getStyler().setXAxisMaxLabelCount(12);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.addSeries("loss", x, y).setMarker(SeriesMarkers.NONE);
        chart.addSeries("mean of " + window + " steps", x, avg).setMarker(SeriesMarkers.NONE);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
