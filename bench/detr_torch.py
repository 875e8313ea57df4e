"""DETR's matcher and criterion in PyTorch: the reference pipeline that hungarian4j is compared against.

Written after the logic of DETR's models/matcher.py, models/detr.py and util/box_ops.py (not copied):
  cost:  softmax over the flattened (B*Q) x (K+1) logits, the cross-image (B*Q) x sum(M) cost matrix
         C = cost_bbox * cdist_L1 - cost_class * prob[:, tgt_ids] - cost_giou * GIoU, moved to the CPU;
  match: scipy.optimize.linear_sum_assignment on each image's Q x M_b slice of C (as DETR does);
  loss:  weighted cross-entropy with eos_coef on the no-object class, L1 and 1 - diag(GIoU) over the matched
         pairs divided by num_boxes, then backward() gives the gradients (autograd, matching held fixed).
Weights default to contract.md's (DETR's) defaults. Importing this module needs torch and scipy.
Used by bench/torch_detr_pipeline.py (timing) and bench/torch_parity.py (agreement with bin/hungarian4j).
"""
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

COST_CLASS, COST_BBOX, COST_GIOU = 1.0, 5.0, 2.0
W_CE, W_BBOX, W_GIOU, EOS_COEF = 1.0, 5.0, 2.0, 0.1


def cxcywh_to_xyxy(b):
    cx, cy, w, h = b.unbind(-1)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=-1)


def pairwise_giou(a, b):
    """GIoU of every corner box in a (N x 4) with every one in b (M x 4), as DETR's generalized_box_iou."""
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    wh = (torch.min(a[:, None, 2:], b[None, :, 2:]) - torch.max(a[:, None, :2], b[None, :, :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    wh_c = (torch.max(a[:, None, 2:], b[None, :, 2:]) - torch.min(a[:, None, :2], b[None, :, :2])).clamp(min=0)
    enclosing = wh_c[..., 0] * wh_c[..., 1]
    return inter / union - (enclosing - union) / enclosing


@torch.no_grad()
def cost_matrix(logits, boxes, tgt_ids, tgt_boxes):
    """B x Q x sum(M) on the CPU: every prediction against every target of the batch, as DETR builds it."""
    bsz, nq = logits.shape[:2]
    prob = logits.flatten(0, 1).softmax(-1)
    out_bbox = boxes.flatten(0, 1)
    c = (COST_BBOX * torch.cdist(out_bbox, tgt_boxes, p=1) - COST_CLASS * prob[:, tgt_ids]
         - COST_GIOU * pairwise_giou(cxcywh_to_xyxy(out_bbox), cxcywh_to_xyxy(tgt_boxes)))
    return c.view(bsz, nq, -1).cpu()


def match(c, sizes):
    """scipy's linear_sum_assignment on image b's Q x M_b block of the cross-image matrix: [(pred, target)]."""
    return [linear_sum_assignment(block[i]) for i, block in enumerate(c.split(sizes, -1))]


def match_groups(c, sizes, groups):
    """Group-DETR's matching: the Q queries are `groups` equal groups, each matched on its own to all of the
    image's targets; per image the pairs of every group, pred indices global and ascending."""
    if groups == 1:
        return match(c, sizes)
    nq = c.shape[1] // groups
    out = []
    for i, block in enumerate(c.split(sizes, -1)):
        preds, tgts = [], []
        for g in range(groups):
            p, t = linear_sum_assignment(block[i][g * nq:(g + 1) * nq])
            preds.extend(p + g * nq)
            tgts.extend(t)
        out.append((preds, tgts))
    return out


def perturbed_layer(logits, boxes, seed, layer):
    """Decoder layer `layer` >= 1 of a synthetic batch: the top layer's predictions perturbed (seeded), as
    DETR's aux_outputs differ from the top layer."""
    g = torch.Generator().manual_seed(seed + layer)
    lg = logits + 0.3 * torch.randn(logits.shape, generator=g, dtype=logits.dtype)
    bx = (boxes + 0.02 * torch.randn(boxes.shape, generator=g, dtype=boxes.dtype)).clamp(min=0.005)
    return lg, bx


def criterion(logits, boxes, labels, tboxes, indices, num_classes, groups=1):
    """DETR's SetCriterion (labels + boxes) for a fixed matching: (total, ce, bbox, giou, num_boxes).
    With query groups (Group-DETR) indices hold every group's pairs and the box count is multiplied by groups."""
    dev = logits.device
    idx_b = torch.cat([torch.full((len(src),), i, dtype=torch.int64) for i, (src, _) in enumerate(indices)])
    idx_q = torch.cat([torch.as_tensor(src, dtype=torch.int64) for src, _ in indices])
    tgt_j = [torch.as_tensor(j, dtype=torch.int64) for _, j in indices]
    idx_b, idx_q = idx_b.to(dev), idx_q.to(dev)
    target_classes = torch.full(logits.shape[:2], num_classes, dtype=torch.int64, device=dev)
    target_classes[idx_b, idx_q] = torch.cat([lab[j.to(dev)] for lab, j in zip(labels, tgt_j)])
    empty_weight = torch.ones(num_classes + 1, device=dev, dtype=logits.dtype)
    empty_weight[-1] = EOS_COEF
    loss_ce = F.cross_entropy(logits.transpose(1, 2), target_classes, empty_weight)
    num_boxes = max(1.0, float(sum(len(t) for t in labels))) * groups
    src_boxes = boxes[idx_b, idx_q]
    target_boxes = torch.cat([tb[j.to(dev)] for tb, j in zip(tboxes, tgt_j)], dim=0)
    loss_bbox = F.l1_loss(src_boxes, target_boxes, reduction="none").sum() / num_boxes
    loss_giou = (1 - torch.diag(pairwise_giou(cxcywh_to_xyxy(src_boxes), cxcywh_to_xyxy(target_boxes)))).sum() \
        / num_boxes
    total = W_CE * loss_ce + W_BBOX * loss_bbox + W_GIOU * loss_giou
    return total, loss_ce, loss_bbox, loss_giou, num_boxes


def synthetic_batch(bsz, nq, k, m, seed, dtype=torch.float32):
    """A seeded DETR-like batch: logits ~ N(0,1), cxcywh boxes with centres in [0.1, 0.9] and sizes in
    [0.05, 0.3]. Returns (logits, boxes, labels[b], tboxes[b]) on the CPU, not requiring grad."""
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(bsz, nq, k + 1, generator=g)
    boxes = torch.cat([torch.rand(bsz, nq, 2, generator=g) * 0.8 + 0.1,
                       torch.rand(bsz, nq, 2, generator=g) * 0.25 + 0.05], -1)
    labels = [torch.randint(0, k, (m,), generator=g) for _ in range(bsz)]
    tboxes = [torch.cat([torch.rand(m, 2, generator=g) * 0.8 + 0.1, torch.rand(m, 2, generator=g) * 0.25 + 0.05],
                        -1) for _ in range(bsz)]
    return logits.to(dtype), boxes.to(dtype), labels, [t.to(dtype) for t in tboxes]
