package dev.hungarian4j;

import java.util.Objects;

/**
 * Immutable matching-cost and loss configuration (contract.md §1), with DETR's defaults:
 * {@code cost_class 1, cost_bbox 5, cost_giou 2, class_cost prob, loss_ce_weight 1, loss_bbox_weight 5,
 * loss_giou_weight 2, eos_coef 0.1, reduction detr}, and the DETR-family extensions of contract.md §3:
 * {@code groups} (query groups, default 1), {@code num_boxes} (an external normalizer, default none: the batch's
 * {@code max(1, Σ M_b)}), {@code loss_class} ({@code ce} or {@code focal}) with {@code focal_alpha} (0.25) and
 * {@code focal_gamma} (2). Build one with {@link #builder()}; every setter validates its argument and names it
 * when it is not valid.
 */
public final class HungarianConfig {
    /** The defaults of contract.md §1. */
    public static final HungarianConfig DEFAULTS = builder().build();

    private final double costClass;
    private final double costBbox;
    private final double costGiou;
    private final ClassCost classCost;
    private final double lossCeWeight;
    private final double lossBboxWeight;
    private final double lossGiouWeight;
    private final double eosCoef;
    private final Reduction reduction;
    private final int groups;
    private final double numBoxes;
    private final LossClass lossClass;
    private final double focalAlpha;
    private final double focalGamma;

    private HungarianConfig(Builder b) {
        costClass = b.costClass;
        costBbox = b.costBbox;
        costGiou = b.costGiou;
        classCost = b.classCost;
        lossCeWeight = b.lossCeWeight;
        lossBboxWeight = b.lossBboxWeight;
        lossGiouWeight = b.lossGiouWeight;
        eosCoef = b.eosCoef;
        reduction = b.reduction;
        groups = b.groups;
        numBoxes = b.numBoxes;
        lossClass = b.lossClass;
        focalAlpha = b.focalAlpha;
        focalGamma = b.focalGamma;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder holding {@link #DEFAULTS}' values
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this configuration; changing it does not change this instance.
     *
     * @return a new builder holding this configuration's values
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.costClass = costClass;
        b.costBbox = costBbox;
        b.costGiou = costGiou;
        b.classCost = classCost;
        b.lossCeWeight = lossCeWeight;
        b.lossBboxWeight = lossBboxWeight;
        b.lossGiouWeight = lossGiouWeight;
        b.eosCoef = eosCoef;
        b.reduction = reduction;
        b.groups = groups;
        b.numBoxes = numBoxes;
        b.lossClass = lossClass;
        b.classCostSet = true;
        b.focalAlpha = focalAlpha;
        b.focalGamma = focalGamma;
        return b;
    }

    /**
     * Weight of the class term in the matching cost.
     *
     * @return {@code cost_class}, finite and {@code >= 0}
     */
    public double costClass() {
        return costClass;
    }

    /**
     * Weight of the L1 box term in the matching cost.
     *
     * @return {@code cost_bbox}, finite and {@code >= 0}
     */
    public double costBbox() {
        return costBbox;
    }

    /**
     * Weight of the {@code -GIoU} term in the matching cost.
     *
     * @return {@code cost_giou}, finite and {@code >= 0}
     */
    public double costGiou() {
        return costGiou;
    }

    /**
     * Probability or log-probability class cost.
     *
     * @return the class cost, never null
     */
    public ClassCost classCost() {
        return classCost;
    }

    /**
     * Weight of the cross-entropy loss in the total.
     *
     * @return {@code loss_ce_weight}, finite and {@code >= 0}
     */
    public double lossCeWeight() {
        return lossCeWeight;
    }

    /**
     * Weight of the L1 loss in the total.
     *
     * @return {@code loss_bbox_weight}, finite and {@code >= 0}
     */
    public double lossBboxWeight() {
        return lossBboxWeight;
    }

    /**
     * Weight of the {@code 1 - GIoU} loss in the total.
     *
     * @return {@code loss_giou_weight}, finite and {@code >= 0}
     */
    public double lossGiouWeight() {
        return lossGiouWeight;
    }

    /**
     * Cross-entropy weight of the no-object class.
     *
     * @return {@code eos_coef}, finite and {@code >= 0}
     */
    public double eosCoef() {
        return eosCoef;
    }

    /**
     * Normalization of the loss terms.
     *
     * @return the reduction, never null
     */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * Query groups (Group-DETR): group {@code g} is queries {@code [g·Q/G, (g+1)·Q/G)}, matched to all of its
     * image's targets on its own.
     *
     * @return {@code G >= 1} (1: no groups)
     */
    public int groups() {
        return groups;
    }

    /**
     * The external normalizer (the all-reduced box count of data-parallel training), or 0 when none was set and
     * the batch's {@code max(1, Σ M_b)} is used. The normalizer used is this (or that) times {@link #groups()}.
     *
     * @return a finite value {@code > 0}, or 0 for none
     */
    public double numBoxes() {
        return numBoxes;
    }

    /**
     * Whether an external normalizer was set.
     *
     * @return true when {@link #numBoxes()} is {@code > 0}
     */
    public boolean hasNumBoxes() {
        return numBoxes > 0;
    }

    /**
     * The classification loss.
     *
     * @return {@link LossClass#CE} (softmax with no-object) or {@link LossClass#FOCAL} (sigmoid focal)
     */
    public LossClass lossClass() {
        return lossClass;
    }

    /**
     * The focal loss' {@code α} (used with {@link LossClass#FOCAL}).
     *
     * @return {@code focal_alpha} in {@code [0, 1]}
     */
    public double focalAlpha() {
        return focalAlpha;
    }

    /**
     * The focal loss' {@code γ} (used with {@link LossClass#FOCAL}).
     *
     * @return {@code focal_gamma}, finite and {@code >= 0}
     */
    public double focalGamma() {
        return focalGamma;
    }

    /**
     * Whether any contract.md §3 option differs from section 1's meaning (groups, an external normalizer, focal).
     *
     * @return true when {@code groups > 1}, {@code num_boxes} is set or the loss class is focal
     */
    public boolean usesExtensions() {
        return groups > 1 || numBoxes > 0 || lossClass == LossClass.FOCAL;
    }

    /**
     * The normalizer of the loss terms for a batch, as contract.md §3 defines it (and reported as
     * {@code num_boxes} in both reductions): {@code (num_boxes or max(1, Σ_b M_b)) · groups}.
     *
     * @param batch the batch, not null
     * @return the normalizer, {@code > 0}
     */
    public double normalizer(Batch batch) {
        double n = numBoxes > 0 ? numBoxes : Math.max(1, batch.targets().total());
        return n * groups;
    }

    /**
     * Checks that a batch fits this configuration: {@code groups} divides Q and the predictions' classification head
     * is this configuration's loss class (K+1 logits with no-object for {@code ce}, K sigmoid logits for
     * {@code focal}).
     *
     * @param batch the batch, not null
     * @throws InvalidInputException naming {@code config.groups} or {@code config.loss_class} when it does not fit
     */
    public void check(Batch batch) {
        QueryGroups.checkDivides(groups, batch.queries());
        LossClass head = batch.predictions().lossClass();
        if (head != lossClass) {
            throw new InvalidInputException("config.loss_class", "is \"" + lossClass.jsonName()
                    + "\" but the predictions were built for \"" + head.jsonName() + "\" ("
                    + (head == LossClass.FOCAL ? "K sigmoid logits" : "K+1 logits with no-object") + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HungarianConfig)) {
            return false;
        }
        HungarianConfig c = (HungarianConfig) o;
        return costClass == c.costClass && costBbox == c.costBbox && costGiou == c.costGiou
                && classCost == c.classCost && lossCeWeight == c.lossCeWeight && lossBboxWeight == c.lossBboxWeight
                && lossGiouWeight == c.lossGiouWeight && eosCoef == c.eosCoef && reduction == c.reduction
                && groups == c.groups && numBoxes == c.numBoxes && lossClass == c.lossClass
                && focalAlpha == c.focalAlpha && focalGamma == c.focalGamma;
    }

    @Override
    public int hashCode() {
        return Objects.hash(costClass, costBbox, costGiou, classCost, lossCeWeight, lossBboxWeight, lossGiouWeight,
                eosCoef, reduction, groups, numBoxes, lossClass, focalAlpha, focalGamma);
    }

    @Override
    public String toString() {
        return "HungarianConfig{cost_class=" + costClass + ", cost_bbox=" + costBbox + ", cost_giou=" + costGiou
                + ", class_cost=" + classCost.jsonName() + ", loss_ce_weight=" + lossCeWeight + ", loss_bbox_weight="
                + lossBboxWeight + ", loss_giou_weight=" + lossGiouWeight + ", eos_coef=" + eosCoef + ", reduction="
                + reduction.jsonName() + ", groups=" + groups + ", num_boxes=" + (numBoxes > 0 ? numBoxes : "auto")
                + ", loss_class=" + lossClass.jsonName() + ", focal_alpha=" + focalAlpha + ", focal_gamma="
                + focalGamma + "}";
    }

    /**
     * Mutable builder; each setter validates and names its argument. Not thread-safe; {@link #build()} gives an
     * immutable configuration.
     */
    public static final class Builder {
        private double costClass = 1;
        private double costBbox = 5;
        private double costGiou = 2;
        private ClassCost classCost = ClassCost.PROB;
        private double lossCeWeight = 1;
        private double lossBboxWeight = 5;
        private double lossGiouWeight = 2;
        private double eosCoef = 0.1;
        private Reduction reduction = Reduction.DETR;
        private int groups = 1;
        private double numBoxes = 0;
        private LossClass lossClass = LossClass.CE;
        private boolean classCostSet;
        private double focalAlpha = 0.25;
        private double focalGamma = 2;

        private Builder() {
        }

        private static double weight(String name, double v) {
            if (!Double.isFinite(v) || v < 0) {
                throw new InvalidInputException("config." + name, "is " + v + "; must be finite and >= 0");
            }
            return v;
        }

        /**
         * Sets the weight of the class term in the matching cost ({@code cost_class}).
         *
         * @param v the weight; finite and {@code >= 0}
         * @return this builder
         * @throws InvalidInputException naming {@code config.cost_class} when {@code v} is NaN, infinite or negative
         */
        public Builder costClass(double v) {
            costClass = weight("cost_class", v);
            return this;
        }

        /**
         * Sets the weight of the L1 box term in the matching cost ({@code cost_bbox}).
         *
         * @param v the weight; finite and {@code >= 0}
         * @return this builder
         * @throws InvalidInputException naming {@code config.cost_bbox} when {@code v} is NaN, infinite or negative
         */
        public Builder costBbox(double v) {
            costBbox = weight("cost_bbox", v);
            return this;
        }

        /**
         * Sets the weight of the {@code -GIoU} term in the matching cost ({@code cost_giou}).
         *
         * @param v the weight; finite and {@code >= 0}
         * @return this builder
         * @throws InvalidInputException naming {@code config.cost_giou} when {@code v} is NaN, infinite or negative
         */
        public Builder costGiou(double v) {
            costGiou = weight("cost_giou", v);
            return this;
        }

        /**
         * Sets the class term of the matching cost ({@code class_cost}).
         *
         * @param v probability, log-probability, or focal (with, and only with, {@link LossClass#FOCAL}); not null
         * @return this builder
         * @throws NullPointerException when {@code v} is null
         */
        public Builder classCost(ClassCost v) {
            classCost = Objects.requireNonNull(v, "classCost");
            classCostSet = true;
            return this;
        }

        /**
         * Sets the weight of the cross-entropy loss in the total ({@code loss_ce_weight}).
         *
         * @param v the weight; finite and {@code >= 0}
         * @return this builder
         * @throws InvalidInputException naming {@code config.loss_ce_weight} when {@code v} is NaN, infinite or
         *                               negative
         */
        public Builder lossCeWeight(double v) {
            lossCeWeight = weight("loss_ce_weight", v);
            return this;
        }

        /**
         * Sets the weight of the L1 loss in the total ({@code loss_bbox_weight}).
         *
         * @param v the weight; finite and {@code >= 0}
         * @return this builder
         * @throws InvalidInputException naming {@code config.loss_bbox_weight} when {@code v} is NaN, infinite or
         *                               negative
         */
        public Builder lossBboxWeight(double v) {
            lossBboxWeight = weight("loss_bbox_weight", v);
            return this;
        }

        /**
         * Sets the weight of the {@code 1 - GIoU} loss in the total ({@code loss_giou_weight}).
         *
         * @param v the weight; finite and {@code >= 0}
         * @return this builder
         * @throws InvalidInputException naming {@code config.loss_giou_weight} when {@code v} is NaN, infinite or
         *                               negative
         */
        public Builder lossGiouWeight(double v) {
            lossGiouWeight = weight("loss_giou_weight", v);
            return this;
        }

        /**
         * Sets the cross-entropy weight of the no-object class ({@code eos_coef}).
         *
         * @param v the weight; finite and {@code >= 0}
         * @return this builder
         * @throws InvalidInputException naming {@code config.eos_coef} when {@code v} is NaN, infinite or negative
         */
        public Builder eosCoef(double v) {
            eosCoef = weight("eos_coef", v);
            return this;
        }

        /**
         * Sets the normalization of the loss terms ({@code reduction}).
         *
         * @param v the reduction; not null
         * @return this builder
         * @throws NullPointerException when {@code v} is null
         */
        public Builder reduction(Reduction v) {
            reduction = Objects.requireNonNull(v, "reduction");
            return this;
        }

        /**
         * Sets the number of query groups ({@code groups}, Group-DETR); it must divide Q (checked per call).
         *
         * @param v {@code G >= 1}
         * @return this builder
         * @throws InvalidInputException naming {@code config.groups} when {@code v < 1}
         */
        public Builder groups(int v) {
            if (v < 1) {
                throw new InvalidInputException("config.groups", "is " + v + "; must be an integer >= 1");
            }
            groups = v;
            return this;
        }

        /**
         * Sets the external normalizer ({@code num_boxes}): the box count all-reduced over a data-parallel job, used
         * instead of the batch's {@code max(1, Σ M_b)} (times {@code groups}), in both reductions. Not clamped.
         *
         * @param v finite and {@code > 0} (fractional allowed)
         * @return this builder
         * @throws InvalidInputException naming {@code config.num_boxes} when {@code v} is not finite or not
         *                               {@code > 0}
         */
        public Builder numBoxes(double v) {
            if (!Double.isFinite(v) || v <= 0) {
                throw new InvalidInputException("config.num_boxes", "is " + v + "; must be finite and > 0");
            }
            numBoxes = v;
            return this;
        }

        /**
         * Removes the external normalizer: the batch's {@code max(1, Σ M_b)} is used again.
         *
         * @return this builder
         */
        public Builder clearNumBoxes() {
            numBoxes = 0;
            return this;
        }

        /**
         * Sets the classification loss ({@code loss_class}). With {@link LossClass#FOCAL} the class cost defaults to
         * {@link ClassCost#FOCAL} unless set explicitly (and then it must be {@code FOCAL}).
         *
         * @param v the loss class; not null
         * @return this builder
         * @throws NullPointerException when {@code v} is null
         */
        public Builder lossClass(LossClass v) {
            lossClass = Objects.requireNonNull(v, "lossClass");
            return this;
        }

        /**
         * Sets the focal loss' {@code α} ({@code focal_alpha}).
         *
         * @param v in {@code [0, 1]}
         * @return this builder
         * @throws InvalidInputException naming {@code config.focal_alpha} when {@code v} is outside {@code [0, 1]}
         */
        public Builder focalAlpha(double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new InvalidInputException("config.focal_alpha", "is " + v + "; must be in [0, 1]");
            }
            focalAlpha = v;
            return this;
        }

        /**
         * Sets the focal loss' {@code γ} ({@code focal_gamma}).
         *
         * @param v finite and {@code >= 0}
         * @return this builder
         * @throws InvalidInputException naming {@code config.focal_gamma} when {@code v} is NaN, infinite or negative
         */
        public Builder focalGamma(double v) {
            focalGamma = weight("focal_gamma", v);
            return this;
        }

        /**
         * Builds the configuration; the builder can be changed and reused afterwards.
         *
         * @return a new immutable configuration with this builder's values
         * @throws InvalidInputException naming {@code config.class_cost} when the focal class cost and the focal
         *                               loss are not used together
         */
        public HungarianConfig build() {
            ClassCost saved = classCost;
            if (lossClass == LossClass.FOCAL && !classCostSet) {
                classCost = ClassCost.FOCAL;
            }
            try {
                if (lossClass == LossClass.FOCAL && classCost != ClassCost.FOCAL) {
                    throw new InvalidInputException("config.class_cost", "is \"" + classCost.jsonName()
                            + "\"; with loss_class \"focal\" it must be \"focal\" (sigmoid logits have no softmax)");
                }
                if (lossClass != LossClass.FOCAL && classCost == ClassCost.FOCAL) {
                    throw new InvalidInputException("config.class_cost",
                            "is \"focal\"; it needs loss_class \"focal\" (loss_class is \"" + lossClass.jsonName()
                                    + "\")");
                }
                return new HungarianConfig(this);
            } finally {
                classCost = saved;
            }
        }
    }
}
