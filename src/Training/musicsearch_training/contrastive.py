"""The contrastive objective of similarity fine-tuning: SimCLR's projection head, the NT-Xent loss over two
views per track, and in-batch retrieval metrics of the representation that search uses.

Views are passed as two aligned batches: row i of `first` and row i of `second` are the two views of track i
(the positive pair); every other view in the batch is a negative, so each of the 2B views has 2B - 2.
"""

from __future__ import annotations

from typing import Dict

import torch
import torch.nn.functional as F
from torch import nn


class ProjectionHead(nn.Module):
    """SimCLR's g(·): Linear, ReLU, Linear. Trained with the loss and thrown away afterwards."""

    def __init__(self, input_size: int, output_size: int):
        super().__init__()
        self.hidden = nn.Linear(input_size, input_size)
        self.output = nn.Linear(input_size, output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output(F.relu(self.hidden(x)))


def _partners(batch: int, device: torch.device) -> torch.Tensor:
    """Index of each view's positive in the concatenation [first; second]."""
    return torch.cat([torch.arange(batch, 2 * batch), torch.arange(batch)]).to(device)


def _cosines(first: torch.Tensor, second: torch.Tensor) -> torch.Tensor:
    """[2B, 2B] cosine similarities, in fp32 whatever the model's precision."""
    views = F.normalize(torch.cat([first, second]).float(), dim=1)
    return views @ views.t()


def nt_xent(first: torch.Tensor, second: torch.Tensor, temperature: float) -> torch.Tensor:
    """Normalised-temperature cross-entropy (SimCLR): for each of the 2B views, the cross-entropy of picking
    its partner among the other 2B - 1 views by cosine / temperature; the mean over the 2B views."""
    if first.shape != second.shape or first.shape[0] < 2:
        raise ValueError(f"need two aligned batches of at least 2 views, found {tuple(first.shape)} and "
                         f"{tuple(second.shape)}")
    logits = _cosines(first, second) / temperature
    # A view is not a candidate for itself.
    self_pairs = torch.eye(logits.shape[0], dtype=torch.bool, device=logits.device)
    logits = logits.masked_fill(self_pairs, float("-inf"))
    return F.cross_entropy(logits, _partners(first.shape[0], logits.device))


@torch.no_grad()
def pair_metrics(first: torch.Tensor, second: torch.Tensor) -> Dict[str, float]:
    """Mean positive-pair cosine, mean cosine over all negative pairs, and in-batch top-1 retrieval accuracy:
    the share of the 2B views whose nearest other view is their partner."""
    cosines = _cosines(first, second)
    views = cosines.shape[0]
    partners = _partners(first.shape[0], cosines.device)
    positive = torch.zeros_like(cosines, dtype=torch.bool)
    positive[torch.arange(views), partners] = True
    self_pairs = torch.eye(views, dtype=torch.bool, device=cosines.device)
    nearest = cosines.masked_fill(self_pairs, float("-inf")).argmax(dim=1)
    return {"pos_cos": cosines[positive].mean().item(),
            "neg_cos": cosines[~(positive | self_pairs)].mean().item(),
            "top1": (nearest == partners).float().mean().item()}
