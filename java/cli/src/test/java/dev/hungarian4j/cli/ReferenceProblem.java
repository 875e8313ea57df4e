package dev.hungarian4j.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An independent float64 implementation of contract.md section 1 (and section 3's groups, num_boxes and focal
 * loss, written from the contract's formulas) for test oracles: the cost matrices, the optimal matching cost
 * (Hungarian algorithm with potentials), the loss of a given matching and its gradients by central finite
 * differences. Built from an input JSON tree; {@link #layer} gives an aux layer's problem.
 */
final class ReferenceProblem {
    final int batch;
    final int queries;
    final int numLogits;
    double[] logits;
    double[] boxes;
    final int[][] labels;
    final double[][] tboxes;
    double costClass = 1;
    double costBbox = 5;
    double costGiou = 2;
    boolean logProb;
    double lossCe = 1;
    double lossBbox = 5;
    double lossGiou = 2;
    double eosCoef = 0.1;
    boolean sumReduction;
    int groups = 1;
    double numBoxesGiven;
    boolean focal;
    double alpha = 0.25;
    double gamma = 2;

    private ReferenceProblem(Map<String, Object> in) {
        List<Object> pl = JsonTree.arr(in.get("pred_logits"));
        batch = pl.size();
        queries = JsonTree.arr(pl.get(0)).size();
        numLogits = JsonTree.arr(JsonTree.arr(pl.get(0)).get(0)).size();
        logits = JsonTree.flat3(in.get("pred_logits"));
        boxes = JsonTree.flat3(in.get("pred_boxes"));
        List<Object> ts = JsonTree.arr(in.get("targets"));
        labels = new int[batch][];
        tboxes = new double[batch][];
        for (int b = 0; b < batch; b++) {
            Map<String, Object> t = JsonTree.obj(ts.get(b));
            labels[b] = JsonTree.ints(t.get("labels"));
            List<Object> bx = JsonTree.arr(t.get("boxes"));
            tboxes[b] = new double[4 * bx.size()];
            for (int j = 0; j < bx.size(); j++) {
                List<Object> r = JsonTree.arr(bx.get(j));
                for (int c = 0; c < 4; c++) {
                    tboxes[b][4 * j + c] = JsonTree.num(r.get(c));
                }
            }
        }
        if (in.containsKey("config")) {
            Map<String, Object> c = JsonTree.obj(in.get("config"));
            costClass = (double) c.getOrDefault("cost_class", costClass);
            costBbox = (double) c.getOrDefault("cost_bbox", costBbox);
            costGiou = (double) c.getOrDefault("cost_giou", costGiou);
            logProb = "log_prob".equals(c.getOrDefault("class_cost", "prob"));
            lossCe = (double) c.getOrDefault("loss_ce_weight", lossCe);
            lossBbox = (double) c.getOrDefault("loss_bbox_weight", lossBbox);
            lossGiou = (double) c.getOrDefault("loss_giou_weight", lossGiou);
            eosCoef = (double) c.getOrDefault("eos_coef", eosCoef);
            sumReduction = "sum".equals(c.getOrDefault("reduction", "detr"));
            groups = (int) JsonTree.num(c.getOrDefault("groups", 1.0));
            numBoxesGiven = JsonTree.num(c.getOrDefault("num_boxes", 0.0));
            focal = "focal".equals(c.getOrDefault("loss_class", "ce"));
            alpha = JsonTree.num(c.getOrDefault("focal_alpha", alpha));
            gamma = JsonTree.num(c.getOrDefault("focal_gamma", gamma));
        }
    }

    /** The problem of aux layer {@code l} of the input ({@code aux_outputs[l]}): same targets and config. */
    ReferenceProblem layer(Object inputTree, int l) {
        ReferenceProblem p = new ReferenceProblem(JsonTree.obj(inputTree));
        Map<String, Object> a = JsonTree.obj(JsonTree.arr(JsonTree.obj(inputTree).get("aux_outputs")).get(l));
        p.logits = JsonTree.flat3(a.get("pred_logits"));
        p.boxes = JsonTree.flat3(a.get("pred_boxes"));
        return p;
    }

    /** The normalizer of section 3: {@code (num_boxes or max(1, Σ M_b)) · G}. */
    double normalizer() {
        return (numBoxesGiven > 0 ? numBoxesGiven : numBoxes()) * groups;
    }

    /** The minimal matching cost of image b summed over its query groups (each group matched on its own). */
    double groupedOptimum(int b) {
        double[][] c = costMatrix(b);
        int qg = queries / groups;
        double s = 0;
        for (int g = 0; g < groups; g++) {
            s += optimumOf(Arrays.copyOfRange(c, g * qg, (g + 1) * qg), targets(b));
        }
        return s;
    }

    private static double focalTerm(double x, boolean positive, double alpha, double gamma) {
        double p = 1 / (1 + Math.exp(-x));
        return positive ? alpha * Math.pow(1 - p, gamma) * -Math.log(p)
                : (1 - alpha) * Math.pow(p, gamma) * -Math.log(1 - p);
    }

    /** The problem of an input JSON tree. */
    static ReferenceProblem from(Object inputTree) {
        return new ReferenceProblem(JsonTree.obj(inputTree));
    }

    /** M_b. */
    int targets(int b) {
        return labels[b].length;
    }

    /** {@code max(1, Σ M_b)}. */
    int numBoxes() {
        int n = 0;
        for (int[] l : labels) {
            n += l.length;
        }
        return Math.max(1, n);
    }

    /** The Q x M_b cost matrix of image b. */
    double[][] costMatrix(int b) {
        int m = targets(b);
        double[][] c = new double[queries][m];
        for (int q = 0; q < queries; q++) {
            int row = b * queries + q;
            double lse = logSumExp(logits, row * numLogits, numLogits);
            for (int j = 0; j < m; j++) {
                double lp = logits[row * numLogits + labels[b][j]] - lse;
                double x = logits[row * numLogits + labels[b][j]];
                double cls = focal ? focalTerm(x, true, alpha, gamma) - focalTerm(x, false, alpha, gamma)
                        : logProb ? -lp : -Math.exp(lp);
                double l1 = 0;
                for (int k = 0; k < 4; k++) {
                    l1 += Math.abs(boxes[row * 4 + k] - tboxes[b][4 * j + k]);
                }
                double g = giou(boxes, row * 4, tboxes[b], 4 * j);
                c[q][j] = costClass * cls + costBbox * l1 + costGiou * (-g);
            }
        }
        return c;
    }

    /** The cost of a matching of image b. */
    double matchingCost(int b, int[] pred, int[] target) {
        double[][] c = costMatrix(b);
        double s = 0;
        for (int i = 0; i < pred.length; i++) {
            s += c[pred[i]][target[i]];
        }
        return s;
    }

    /** The minimal matching cost of image b (size min(Q, M_b)). */
    double optimum(int b) {
        return optimumOf(costMatrix(b), targets(b));
    }

    private static double optimumOf(double[][] c, int m) {
        int queries = c.length;
        if (m == 0) {
            return 0;
        }
        if (queries > m) {
            double[][] t = new double[m][queries];
            for (int q = 0; q < queries; q++) {
                for (int j = 0; j < m; j++) {
                    t[j][q] = c[q][j];
                }
            }
            c = t;
        }
        return hungarian(c);
    }

    /** Min-cost assignment of every row (rows &lt;= columns), e-maxx's potentials formulation. */
    private static double hungarian(double[][] a) {
        int n = a.length;
        int m = a[0].length;
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];
        int[] way = new int[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[m + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[m + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        double s = 0;
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                s += a[p[j] - 1][j - 1];
            }
        }
        return s;
    }

    /** {@code assignment[b*Q+q]} = target or -1, from per-image pred/target lists. */
    int[] assignment(int[][] pred, int[][] target) {
        int[] a = new int[batch * queries];
        Arrays.fill(a, -1);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < pred[b].length; i++) {
                a[b * queries + pred[b][i]] = target[b][i];
            }
        }
        return a;
    }

    /** {ce, bbox, giou, total} of the given matching at the problem's own predictions. */
    double[] loss(int[] assignment) {
        return loss(logits, boxes, assignment);
    }

    private double[] loss(double[] lg, double[] bx, int[] assignment) {
        int k = numLogits - 1;
        double ceNum = 0;
        double ceDen = 0;
        double l1 = 0;
        double gi = 0;
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < queries; q++) {
                int row = b * queries + q;
                int t = assignment[row];
                int cls = t < 0 ? k : labels[b][t];
                double w = t < 0 ? eosCoef : 1;
                if (focal) {
                    for (int k2 = 0; k2 < numLogits; k2++) {
                        ceNum += focalTerm(lg[row * numLogits + k2], t >= 0 && k2 == labels[b][t], alpha, gamma);
                    }
                } else {
                    double lse = logSumExp(lg, row * numLogits, numLogits);
                    ceNum += w * (lse - lg[row * numLogits + cls]);
                    ceDen += w;
                }
                if (t >= 0) {
                    for (int c = 0; c < 4; c++) {
                        l1 += Math.abs(bx[row * 4 + c] - tboxes[b][4 * t + c]);
                    }
                    gi += 1 - giou(bx, row * 4, tboxes[b], 4 * t);
                }
            }
        }
        double nb = sumReduction ? 1 : normalizer();
        double ce = focal ? ceNum / nb : ceDen == 0 ? 0 : sumReduction ? ceNum : ceNum / ceDen;
        double bbox = l1 / nb;
        double giouLoss = gi / nb;
        return new double[] {ce, bbox, giouLoss, lossCe * ce + lossBbox * bbox + lossGiou * giouLoss};
    }

    /** d total / d logits by central differences (matching fixed). */
    double[] gradLogits(int[] assignment) {
        return fd(logits, true, assignment);
    }

    /** d total / d boxes by central differences (matching fixed). */
    double[] gradBoxes(int[] assignment) {
        return fd(boxes, false, assignment);
    }

    private double[] fd(double[] x, boolean isLogits, int[] assignment) {
        double[] g = new double[x.length];
        double[] y = x.clone();
        for (int i = 0; i < x.length; i++) {
            double h = 1e-7 * Math.max(1, Math.abs(x[i]));
            y[i] = x[i] + h;
            double plus = isLogits ? loss(y, boxes, assignment)[3] : loss(logits, y, assignment)[3];
            y[i] = x[i] - h;
            double minus = isLogits ? loss(y, boxes, assignment)[3] : loss(logits, y, assignment)[3];
            y[i] = x[i];
            g[i] = (plus - minus) / (2 * h);
        }
        return g;
    }

    private static double logSumExp(double[] a, int off, int n) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            mx = Math.max(mx, a[off + i]);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(a[off + i] - mx);
        }
        return mx + Math.log(s);
    }

    /** GIoU of (cx,cy,w,h) boxes with contract.md's floors. */
    static double giou(double[] a, int ia, double[] b, int ib) {
        double ax0 = a[ia] - a[ia + 2] / 2;
        double ay0 = a[ia + 1] - a[ia + 3] / 2;
        double ax1 = a[ia] + a[ia + 2] / 2;
        double ay1 = a[ia + 1] + a[ia + 3] / 2;
        double bx0 = b[ib] - b[ib + 2] / 2;
        double by0 = b[ib + 1] - b[ib + 3] / 2;
        double bx1 = b[ib] + b[ib + 2] / 2;
        double by1 = b[ib + 1] + b[ib + 3] / 2;
        double areaA = (ax1 - ax0) * (ay1 - ay0);
        double areaB = (bx1 - bx0) * (by1 - by0);
        double iw = Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
        double ih = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
        double inter = iw * ih;
        double union = areaA + areaB - inter;
        double iou = inter / Math.max(union, 1e-12);
        double encl = (Math.max(ax1, bx1) - Math.min(ax0, bx0)) * (Math.max(ay1, by1) - Math.min(ay0, by0));
        return iou - (encl - union) / Math.max(encl, 1e-12);
    }
}
