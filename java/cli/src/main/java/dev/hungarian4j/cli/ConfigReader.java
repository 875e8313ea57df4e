package dev.hungarian4j.cli;

import com.fasterxml.jackson.core.JsonToken;
import dev.hungarian4j.ClassCost;
import dev.hungarian4j.HungarianConfig;
import dev.hungarian4j.InvalidInputException;
import dev.hungarian4j.LossClass;
import dev.hungarian4j.Reduction;

/**
 * Reads the optional {@code config} object into a {@link HungarianConfig}. Every key is optional (contract.md
 * defaults); unknown keys are errors; weights must be finite float32 numbers {@code >= 0} (checked by
 * {@link HungarianConfig.Builder}, which names the key). contract.md section 3: {@code groups} a JSON integer
 * {@code >= 1}, {@code num_boxes} finite {@code > 0}, {@code loss_class} {@code "ce"} or {@code "focal"},
 * {@code focal_alpha} in {@code [0, 1]}, {@code focal_gamma} {@code >= 0} (validated whenever present), and the
 * class cost {@code "focal"} with, and only with, the focal loss (its default then).
 */
final class ConfigReader {
    private static final String KNOWN = "cost_class, cost_bbox, cost_giou, class_cost, loss_ce_weight, "
            + "loss_bbox_weight, loss_giou_weight, eos_coef, reduction, groups, num_boxes, loss_class, focal_alpha, "
            + "focal_gamma";

    private ConfigReader() {
    }

    /**
     * Reads the object whose START token is current.
     *
     * @param src the parser positioned on the value of {@code config}
     */
    static HungarianConfig read(JsonSource src) {
        if (src.current() != JsonToken.START_OBJECT) {
            throw new InvalidInputException("config", "is " + src.describe() + "; must be an object");
        }
        HungarianConfig.Builder b = HungarianConfig.builder();
        while (src.next() == JsonToken.FIELD_NAME) {
            String key = src.name();
            src.next();
            switch (key) {
                case "cost_class":
                    b.costClass(number(src, key));
                    break;
                case "cost_bbox":
                    b.costBbox(number(src, key));
                    break;
                case "cost_giou":
                    b.costGiou(number(src, key));
                    break;
                case "class_cost":
                    b.classCost(ClassCost.fromJson(string(src, key, "\"prob\", \"log_prob\" or \"focal\""),
                            "config." + key));
                    break;
                case "loss_ce_weight":
                    b.lossCeWeight(number(src, key));
                    break;
                case "loss_bbox_weight":
                    b.lossBboxWeight(number(src, key));
                    break;
                case "loss_giou_weight":
                    b.lossGiouWeight(number(src, key));
                    break;
                case "eos_coef":
                    b.eosCoef(number(src, key));
                    break;
                case "reduction":
                    b.reduction(Reduction.fromJson(string(src, key, "\"detr\" or \"sum\""), "config." + key));
                    break;
                case "groups":
                    b.groups(integer(src, key));
                    break;
                case "num_boxes":
                    b.numBoxes(number(src, key));
                    break;
                case "loss_class":
                    b.lossClass(LossClass.fromJson(string(src, key, "\"ce\" or \"focal\""), "config." + key));
                    break;
                case "focal_alpha":
                    b.focalAlpha(number(src, key));
                    break;
                case "focal_gamma":
                    b.focalGamma(number(src, key));
                    break;
                default:
                    throw new InvalidInputException("config." + Messages.key(key),
                            "is not a known config key; known keys: " + KNOWN);
            }
        }
        return b.build();
    }

    private static double number(JsonSource src, String key) {
        if (!src.isNumber()) {
            throw new InvalidInputException("config." + key, "is " + src.describe() + "; expected a number");
        }
        double v = src.doubleValue();
        if (!Double.isFinite(v) || Float.isInfinite((float) v)) {
            throw new InvalidInputException("config." + key, "is " + Messages.clip(src.text())
                    + "; not finite in float32");
        }
        return v;
    }

    /** A JSON integer (not {@code 2.0}) that fits an int and is {@code >= 1}. */
    private static int integer(JsonSource src, String key) {
        if (src.current() != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidInputException("config." + key, "is " + src.describe() + "; expected a JSON integer >= 1");
        }
        double v = src.doubleValue();
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new InvalidInputException("config." + key, "is " + Messages.clip(src.text())
                    + "; must be an integer >= 1");
        }
        return (int) v;
    }

    private static String string(JsonSource src, String key, String expected) {
        if (src.current() != JsonToken.VALUE_STRING) {
            throw new InvalidInputException("config." + key, "is " + src.describe() + "; expected " + expected);
        }
        return src.text();
    }
}
