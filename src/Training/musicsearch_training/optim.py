"""AdamW with weight decay on weight matrices only, and the linear warm-up + cosine decay schedule."""

from __future__ import annotations

import math
from typing import List

import torch
from torch import nn


def parameter_groups(model: nn.Module, weight_decay: float) -> List[dict]:
    """Decay for weight matrices and kernels (ndim >= 2); none for biases and norm scales (1-D), whose
    decay would only pull LayerNorm/BatchNorm gains towards 0. Frozen parameters are left out."""
    decay, no_decay = [], []
    for parameter in model.parameters():
        if parameter.requires_grad:
            (decay if parameter.ndim >= 2 else no_decay).append(parameter)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def build_optimizer(model: nn.Module, lr: float, weight_decay: float = 0.01) -> torch.optim.AdamW:
    # β2 = 0.98 as is usual for Transformer pretraining: the second moment adapts faster than with 0.999.
    return torch.optim.AdamW(parameter_groups(model, weight_decay), lr=lr, betas=(0.9, 0.98))


def warmup_cosine(step: int, warmup_steps: int, total_steps: int) -> float:
    """LR multiplier for optimizer step `step` (0-based): (step+1)/warmup during warm-up, so the first step
    already learns, then a half cosine from 1 to 0 over the remaining steps."""
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
    return 0.5 * (1.0 + math.cos(math.pi * progress))


def build_scheduler(optimizer: torch.optim.Optimizer, warmup_steps: int,
                    total_steps: int) -> torch.optim.lr_scheduler.LambdaLR:
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: warmup_cosine(step, warmup_steps, total_steps))
