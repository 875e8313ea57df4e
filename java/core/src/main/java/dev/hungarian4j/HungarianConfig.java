package dev.hungarian4j;

import java.util.Objects;

/**
 * Immutable matching-cost and loss configuration (CONTRACT.md §1), with DETR's defaults:
 * {@code cost_class 1, cost_bbox 5, cost_giou 2, class_cost prob, loss_ce_weight 1, loss_bbox_weight 5,
 * loss_giou_weight 2, eos_coef 0.1, reduction detr}. Build one with {@link #builder()}; every setter
 * validates its argument (finite and {@code >= 0}) and names it when it is not.
 */
public final class HungarianConfig {
    /** The defaults of CONTRACT.md §1. */
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

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HungarianConfig)) {
            return false;
        }
        HungarianConfig c = (HungarianConfig) o;
        return costClass == c.costClass && costBbox == c.costBbox && costGiou == c.costGiou
                && classCost == c.classCost && lossCeWeight == c.lossCeWeight && lossBboxWeight == c.lossBboxWeight
                && lossGiouWeight == c.lossGiouWeight && eosCoef == c.eosCoef && reduction == c.reduction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(costClass, costBbox, costGiou, classCost, lossCeWeight, lossBboxWeight, lossGiouWeight,
                eosCoef, reduction);
    }

    @Override
    public String toString() {
        return "HungarianConfig{cost_class=" + costClass + ", cost_bbox=" + costBbox + ", cost_giou=" + costGiou
                + ", class_cost=" + classCost.jsonName() + ", loss_ce_weight=" + lossCeWeight + ", loss_bbox_weight="
                + lossBboxWeight + ", loss_giou_weight=" + lossGiouWeight + ", eos_coef=" + eosCoef + ", reduction="
                + reduction.jsonName() + "}";
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
         * @param v probability or log-probability; not null
         * @return this builder
         * @throws NullPointerException when {@code v} is null
         */
        public Builder classCost(ClassCost v) {
            classCost = Objects.requireNonNull(v, "classCost");
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
         * Builds the configuration; the builder can be changed and reused afterwards.
         *
         * @return a new immutable configuration with this builder's values
         */
        public HungarianConfig build() {
            return new HungarianConfig(this);
        }
    }
}
