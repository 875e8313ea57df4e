package dev.hungarian4j;

/**
 * The loss terms of contract.md §1: {@code total = loss_ce_weight*ce + loss_bbox_weight*bbox + loss_giou_weight*giou}.
 *
 * @param ce    weighted cross-entropy with the down-weighted no-object class
 * @param bbox  L1 on matched boxes
 * @param giou  {@code 1 - GIoU} on matched boxes
 * @param total the weighted sum
 */
public record LossTerms(double ce, double bbox, double giou, double total) {
}
