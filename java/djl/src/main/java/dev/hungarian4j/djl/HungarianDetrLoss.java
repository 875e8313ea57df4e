package dev.hungarian4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import dev.hungarian4j.BackendKind;
import dev.hungarian4j.BackendStatus;
import dev.hungarian4j.BackendUnavailableException;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.LossTerms;
import dev.hungarian4j.Targets;
import dev.hungarian4j.natives.NativeBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * DETR's Hungarian loss as a DJL {@link Loss}, usable in a {@code Trainer} or {@code EasyTrain} like any DJL loss.
 *
 * <p>Predictions, as an {@link NDList} in one of three forms (boxes always normalized {@code (cx, cy, w, h)}; C is
 * K+1 with the no-object class last, or K with the focal loss of {@link HungarianConfig#lossClass()}):
 * <ol>
 * <li>{@code [pred_logits (B, Q, C), pred_boxes (B, Q, 4)]}: one decoder layer;</li>
 * <li>{@code [pred_logits (L, B, Q, C), pred_boxes (L, B, Q, 4)]}: a stacked decoder output, earliest layer first and
 * the final layer last (the order of DETR's {@code hs}); the auxiliary layers are {@code 0 .. L-2}. Read in place:
 * the fastest form with aux layers;</li>
 * <li>{@code [pred_logits, pred_boxes, aux_0 logits, aux_0 boxes, aux_1 logits, …]}, all {@code (B, Q, ·)}: DETR's
 * output dictionary in order (the final layer, then {@code aux_outputs} earliest first); the adapter stacks them
 * (one copy, through autograd).</li>
 * </ol>
 * Every layer is matched on its own against the same targets and config (contract.md §3: query groups,
 * {@code num_boxes} and the focal loss come from the {@link HungarianConfig}), all layers in ONE native call; the
 * loss is the sum of the layers' totals, and each layer's predictions receive the gradient of that sum.
 *
 * <p>Labels: DJL detection rows {@code [class, box…]}, padded by {@code PaddingStackBatchifier} (with or without
 * valid lengths) or one array per image, boxes in the {@link BoxFormat} given to the builder; or the library's
 * {@link Targets}.
 *
 * <p>One native call computes the costs, the matchings, the losses and their gradients, reading float32 CPU tensors
 * in place and writing the gradients into host memory that is reused from step to step once a step's arrays are
 * closed; the gradients reach DJL's autograd through the surrogate {@code s = Σ pred·G; loss = s − stop(s) + value},
 * whose value is the loss and whose gradient is exactly {@code G}. GPU tensors take a host copy each way (DJL exposes
 * no device pointer or stream).
 *
 * <p>DJL calls {@code evaluate} again after the backward pass to update its accumulators, and each
 * {@link #termEvaluators() term evaluator} asks too: the result of a step is cached by the identity of the
 * prediction and label arrays, so one step runs the criterion once. Arrays changed in place and passed again
 * would get the cached result: call {@link #clearCache()} in that case. Thread-safe; calls are serialized.
 */
public final class HungarianDetrLoss extends Loss {
    private static final Logger LOG = LoggerFactory.getLogger(HungarianDetrLoss.class);
    private static final int CACHE_SIZE = 4;

    private final HungarianConfig config;
    private final BoxFormat boxFormat;
    private final Criterion criterion;
    private final StepCache cache = new StepCache(CACHE_SIZE);
    private final GradientMemory gradients = new GradientMemory();
    private long criterionCalls;

    private HungarianDetrLoss(Builder b) {
        super(b.name);
        this.config = b.config;
        this.boxFormat = b.boxFormat;
        this.criterion = criterion(b.config, b.backend);
    }

    /**
     * A builder with DETR's defaults, normalized {@code (cx, cy, w, h)} label boxes and the native backend when it
     * loads (else the pure-Java one, logged as a warning).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static Criterion criterion(HungarianConfig config, BackendKind kind) {
        return criterion(config, kind, kind == BackendKind.AUTO ? NativeBackend.status() : null);
    }

    /**
     * The criterion of a backend choice; {@code nativeStatus} decides {@code AUTO} (a parameter so that a test can
     * take the fallback path on a machine where the library loads).
     */
    static Criterion criterion(HungarianConfig config, BackendKind kind, BackendStatus nativeStatus) {
        switch (kind) {
            case JVM:
                return new JvmCriterion(config);
            case NATIVE:
                return new NativeCriterion(config);
            case AUTO:
                if (nativeStatus.available()) {
                    return new NativeCriterion(config);
                }
                LOG.warn("hungarian4j: native library unavailable ({}); the DJL loss runs on the pure-Java backend, "
                        + "which copies the tensors into arrays and is 5-15x slower", nativeStatus.detail());
                return new JvmCriterion(config);
            case CUDA:
            default:
                throw new BackendUnavailableException("backend " + kind.cliName() + " is not available to DJL "
                        + "tensors (DJL exposes no device pointer or CUDA stream); use auto, native or jvm");
        }
    }

    /**
     * The backend that computes the criterion.
     *
     * @return {@code native} or {@code jvm}
     */
    public String backend() {
        return criterion.backendName();
    }

    /**
     * The cost and loss configuration.
     *
     * @return the configuration
     */
    public HungarianConfig config() {
        return config;
    }

    /**
     * The format of the label boxes.
     *
     * @return the format given to the builder
     */
    public BoxFormat boxFormat() {
        return boxFormat;
    }

    /**
     * The total loss of the batch, as DJL's {@code Loss} contract asks.
     *
     * @param labels      DJL detection labels (see the class comment)
     * @param predictions logits then boxes, of one or more decoder layers (see the class comment)
     * @return the loss scalar (all layers' totals), wired into autograd when the predictions require gradients
     * @throws InvalidInputException naming the field when a shape or value is bad
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return compute(labels, predictions).loss();
    }

    /**
     * The step's criterion from DJL detection labels: loss, terms and matching.
     *
     * @param labels      DJL detection labels (see the class comment)
     * @param predictions logits then boxes, of one or more decoder layers (see the class comment)
     * @return the output, cached for these arrays
     * @throws InvalidInputException naming the field when a shape or value is bad
     */
    public DetrLossOutput compute(NDList labels, NDList predictions) {
        Objects.requireNonNull(labels, "labels");
        return compute(labels.isEmpty() ? null : labels.get(0), predictions,
                batch -> DetectionLabels.read(labels, batch, boxFormat));
    }

    /**
     * The step's criterion from the library's ragged targets (normalized {@code (cx, cy, w, h)}; the builder's
     * box format does not apply).
     *
     * @param targets     the targets of the B images
     * @param predictions logits then boxes, of one or more decoder layers (see the class comment)
     * @return the output, cached for these arrays
     * @throws InvalidInputException naming the field when a shape or value is bad
     */
    public DetrLossOutput compute(Targets targets, NDList predictions) {
        Objects.requireNonNull(targets, "targets");
        return compute(targets, predictions, batch -> targets);
    }

    /**
     * The evaluators of the loss terms (ce, bbox, giou), for {@code DefaultTrainingConfig.addEvaluator}. They read
     * this loss's cached result of the step, so they add no criterion call.
     *
     * @return three new evaluators named {@code <loss name>_ce}, {@code _bbox} and {@code _giou}
     */
    public List<Evaluator> termEvaluators() {
        return List.of(new LossTermEvaluator(this, LossTerm.CE), new LossTermEvaluator(this, LossTerm.BBOX),
                new LossTermEvaluator(this, LossTerm.GIOU));
    }

    /** Forgets the cached results (for prediction arrays that were changed in place and are passed again). */
    public void clearCache() {
        synchronized (cache) {
            cache.clear();
        }
    }

    /** How many times the criterion ran (for tests that check the cache). */
    long criterionCalls() {
        synchronized (cache) {
            return criterionCalls;
        }
    }

    private interface TargetSource {
        Targets read(int batch);
    }

    private DetrLossOutput compute(Object labelKey, NDList predictions, TargetSource targets) {
        if (predictions == null) {
            throw new InvalidInputException("predictions", "is null");
        }
        synchronized (cache) {
            DetrLossOutput hit = cache.get(predictions, labelKey);
            if (hit != null) {
                return hit;
            }
            DetrLossOutput out = run(DecoderLayers.read(predictions, config.lossClass() == LossClass.FOCAL ? 1 : 2),
                    targets);
            cache.put(predictions, labelKey, out);
            return out;
        }
    }

    private DetrLossOutput run(DecoderLayers p, TargetSource source) {
        Targets targets = source.read(p.batch);
        NDArray logits = p.logits;
        NDArray boxes = p.boxes;
        // always with gradients: DJL's hasGradient() is false for every non-leaf tensor (a model's outputs), and
        // DJL has no engine-neutral test of grad mode; outside a GradientCollector the surrogate is plain arithmetic
        NDArray hostLogits = HostTensors.hostFloat32(logits);
        NDArray hostBoxes = HostTensors.hostFloat32(boxes);
        // flat (N) gradients: the surrogate's dot products take them without a reshape (one JNI call fewer each)
        GradientMemory.Gradient gl = gradients.acquire(logits, new Shape(logits.size()));
        GradientMemory.Gradient gb = gradients.acquire(boxes, new Shape(boxes.size()));
        int rows = p.batch * p.queries;
        int[] assignment = new int[p.layers * rows];
        criterionCalls++;
        LossTerms[] terms = criterion.run(p.layers, p.batch, p.queries, p.numLogits, HostTensors.view(hostLogits),
                HostTensors.view(hostBoxes), targets, gl.view(), gb.view(), assignment);
        closeCopy(hostLogits, logits);
        closeCopy(hostBoxes, boxes);
        int last = p.layers - 1;
        List<LossTerms> auxTerms = List.of(Arrays.copyOf(terms, last));
        List<int[]> auxAssign = new ArrayList<>(last);
        for (int l = 0; l < last; l++) {
            auxAssign.add(Arrays.copyOfRange(assignment, l * rows, (l + 1) * rows));
        }
        DetrLossOutput unwired = new DetrLossOutput(null, terms[last], p.queries,
                last == 0 ? assignment : Arrays.copyOfRange(assignment, last * rows, p.layers * rows), auxTerms,
                List.copyOf(auxAssign), criterion.backendName());
        NDArray value = scalar(logits, unwired.totalAllLayers());
        // the surrogate's value is 0 (s - s) plus the loss; its gradient is exactly G. A dot product of the flat
        // views writes no product tensor, and its backward writes the gradient once
        NDArray sur = logits.reshape(-1).dot(HostTensors.toDeviceOf(gl.array(), logits))
                .add(boxes.reshape(-1).dot(HostTensors.toDeviceOf(gb.array(), boxes)));
        NDArray loss = sur.sub(sur.stopGradient()).add(value);
        return new DetrLossOutput(loss, unwired.terms(), unwired.queries(), unwired.assignment(), unwired.auxTerms(),
                unwired.auxAssignments(), unwired.backend());
    }

    /** The loss value as a scalar of {@code like}'s dtype in its manager (float32: one engine call, no cast). */
    private static NDArray scalar(NDArray like, double v) {
        NDArray f = like.getManager().create((float) v);
        return like.getDataType() == DataType.FLOAT32 ? f : f.toType(like.getDataType(), false);
    }

    private static void closeCopy(NDArray host, NDArray original) {
        if (host != original) {
            host.close();
        }
    }

    /** Builds a {@link HungarianDetrLoss}. */
    public static final class Builder {
        private String name = "hungarian_loss";
        private HungarianConfig config = HungarianConfig.DEFAULTS;
        private BoxFormat boxFormat = BoxFormat.cxcywh();
        private BackendKind backend = BackendKind.AUTO;

        private Builder() {
        }

        /**
         * The loss's name in DJL's logs and metrics.
         *
         * @param v the name, not null; default {@code hungarian_loss}
         * @return this builder
         */
        public Builder name(String v) {
            this.name = Objects.requireNonNull(v, "name");
            return this;
        }

        /**
         * The cost and loss configuration.
         *
         * @param v the configuration, not null; default {@link HungarianConfig#DEFAULTS}
         * @return this builder
         */
        public Builder config(HungarianConfig v) {
            this.config = Objects.requireNonNull(v, "config");
            return this;
        }

        /**
         * How the labels' boxes are written.
         *
         * @param v the format, not null; default {@link BoxFormat#cxcywh()}
         * @return this builder
         */
        public Builder boxFormat(BoxFormat v) {
            this.boxFormat = Objects.requireNonNull(v, "boxFormat");
            return this;
        }

        /**
         * Which backend computes the criterion: {@code AUTO} (native when it loads, else jvm with a logged
         * warning), {@code NATIVE} (an error when it does not load) or {@code JVM}. {@code CUDA} is refused:
         * DJL gives no access to device memory.
         *
         * @param v the backend, not null; default {@code AUTO}
         * @return this builder
         */
        public Builder backend(BackendKind v) {
            this.backend = Objects.requireNonNull(v, "backend");
            return this;
        }

        /**
         * Creates the loss.
         *
         * @return the loss
         * @throws BackendUnavailableException when {@code NATIVE} was asked for and the library did not load, or
         *                                     {@code CUDA} was asked for
         */
        public HungarianDetrLoss build() {
            return new HungarianDetrLoss(this);
        }
    }
}
