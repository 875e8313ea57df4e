package dev.hungarian4j.jvm;

/**
 * Per-thread scratch of the jvm kernels (the softmax rows of one image, its targets as a struct of arrays, its cost
 * block, a matcher): grown on demand and kept, so that steady-state calls allocate nothing here.
 */
final class ImageWork {
    private static final ThreadLocal<ImageWork> LOCAL = ThreadLocal.withInitial(ImageWork::new);

    /** exp(x - max) of all Q rows of an image, kept by the cost for the loss. */
    float[] ex = new float[0];
    /** One row's logits, copied (the loops of {@link RowSoftmax} index from 0, so that C2 vectorises them). */
    float[] x = new float[0];
    /** One row's exps. */
    float[] e = new float[0];
    /** Scratch of {@link RowSoftmax#row}; also one gradient row. */
    float[] k = new float[0];
    /** Softmax statistics of the current row: max, sum. */
    final double[] stats = new double[2];
    /** Per kept row: 1 / sum of its exps. */
    double[] invS = new double[0];
    /** Per kept row: max + log(sum), the log-sum-exp. */
    double[] lse = new double[0];
    /** Targets of an image as a struct of arrays, each indexed from 0 (vectorisable loops). */
    double[] tcx = new double[0];
    double[] tcy = new double[0];
    double[] tw = new double[0];
    double[] th = new double[0];
    double[] tx0 = new double[0];
    double[] ty0 = new double[0];
    double[] tx1 = new double[0];
    double[] ty1 = new double[0];
    double[] tarea = new double[0];
    /** Per target, one pair's intermediate values in {@link BoxCostRow}: intersection, enclosing area, L1, cost. */
    double[] pairInter = new double[0];
    double[] pairEncl = new double[0];
    double[] pairL1 = new double[0];
    double[] pairCost = new double[0];
    /** Class cost of one row against each target. */
    double[] classCost = new double[0];
    /** One cost row, before it is copied to its place. */
    float[] costRow = new float[0];
    /** One image's cost block. */
    float[] cost = new float[0];
    /** d GIoU / d box of one pair. */
    final double[] giouGrad = new double[4];
    /** The exact matcher, with its own grown workspaces. */
    final LinearSumAssignment solver = new LinearSumAssignment();

    private ImageWork() {
    }

    /** This thread's scratch. */
    static ImageWork current() {
        return LOCAL.get();
    }

    /**
     * Makes room for an image of {@code Q} rows of {@code C} logits and {@code M} targets, a cost block of
     * {@code costLen} floats, and all {@code Q} softmax rows when {@code keepRows}.
     */
    ImageWork ensure(int queries, int numLogits, int targetCount, int costLen, boolean keepRows) {
        if (keepRows && ex.length < queries * numLogits) {
            ex = new float[queries * numLogits];
        }
        if (x.length < numLogits) {
            x = new float[numLogits];
            e = new float[numLogits];
            k = new float[numLogits];
        }
        if (keepRows && invS.length < queries) {
            invS = new double[queries];
            lse = new double[queries];
        }
        if (tcx.length < targetCount) {
            int m = targetCount;
            tcx = new double[m];
            tcy = new double[m];
            tw = new double[m];
            th = new double[m];
            tx0 = new double[m];
            ty0 = new double[m];
            tx1 = new double[m];
            ty1 = new double[m];
            tarea = new double[m];
            classCost = new double[m];
            pairInter = new double[m];
            pairEncl = new double[m];
            pairL1 = new double[m];
            pairCost = new double[m];
            costRow = new float[m];
        }
        if (cost.length < costLen) {
            cost = new float[costLen];
        }
        return this;
    }
}
