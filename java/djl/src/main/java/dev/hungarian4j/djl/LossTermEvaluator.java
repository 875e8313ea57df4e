package dev.hungarian4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.evaluator.Evaluator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One term of a {@link HungarianDetrLoss} (ce, bbox or giou) as a DJL {@link Evaluator}: the mean of the term over
 * the batches seen since the last reset. It reads the loss's result for the same arrays, so it adds no criterion
 * call to a training step. Create it with {@link HungarianDetrLoss#termEvaluators()}.
 */
public final class LossTermEvaluator extends Evaluator {
    private final HungarianDetrLoss loss;
    private final LossTerm term;
    private final Map<String, Double> sums = new ConcurrentHashMap<>();

    /**
     * Creates the evaluator of one term, named {@code <loss name>_<term>}.
     *
     * @param loss the loss whose results it reads, not null
     * @param term the term, not null
     */
    public LossTermEvaluator(HungarianDetrLoss loss, LossTerm term) {
        super(loss.getName() + "_" + term.name().toLowerCase(java.util.Locale.ROOT));
        this.loss = loss;
        this.term = term;
    }

    /**
     * The term of this batch.
     *
     * @param labels      the labels, as for {@link HungarianDetrLoss#evaluate}
     * @param predictions the predictions, as for {@link HungarianDetrLoss#evaluate}
     * @return the term as a float32 scalar in the predictions' manager
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        double v = term.of(loss.compute(labels, predictions).terms());
        return predictions.get(0).getManager().create((float) v);
    }

    /** {@inheritDoc} */
    @Override
    public void addAccumulator(String key) {
        totalInstances.put(key, 0L);
        sums.put(key, 0.0);
    }

    /** {@inheritDoc} */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    /** Reads the term once for all keys (no NDArray is created). */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        double v = term.of(loss.compute(labels, predictions).terms());
        for (String key : keys) {
            totalInstances.merge(key, 1L, Long::sum);
            sums.merge(key, v, Double::sum);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void resetAccumulator(String key) {
        totalInstances.put(key, 0L);
        sums.put(key, 0.0);
    }

    /** {@inheritDoc} */
    @Override
    public float getAccumulator(String key) {
        Long n = totalInstances.get(key);
        if (n == null) {
            throw new IllegalArgumentException("no accumulator " + key + " for " + getName());
        }
        return n == 0 ? Float.NaN : (float) (sums.get(key) / n);
    }
}
