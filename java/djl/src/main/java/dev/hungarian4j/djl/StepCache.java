package dev.hungarian4j.djl;

import ai.djl.ndarray.NDList;

import java.util.ArrayDeque;

/**
 * The last few criterion results, keyed by the identity (not the contents) of the prediction arrays (every layer's)
 * and the labels: DJL evaluates a step's loss again for its accumulators, and the term evaluators ask too. Not
 * thread-safe.
 */
final class StepCache {
    private record Entry(Object[] predictions, Object labels, DetrLossOutput out) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    StepCache(int capacity) {
        this.capacity = capacity;
    }

    DetrLossOutput get(NDList predictions, Object labels) {
        for (Entry e : entries) {
            if (e.labels == labels && same(e.predictions, predictions)) {
                return e.out;
            }
        }
        return null;
    }

    void put(NDList predictions, Object labels, DetrLossOutput out) {
        if (entries.size() == capacity) {
            entries.removeLast();
        }
        entries.addFirst(new Entry(predictions.toArray(), labels, out));
    }

    void clear() {
        entries.clear();
    }

    private static boolean same(Object[] arrays, NDList predictions) {
        if (arrays.length != predictions.size()) {
            return false;
        }
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] != predictions.get(i)) {
                return false;
            }
        }
        return true;
    }
}
