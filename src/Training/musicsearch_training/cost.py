"""Analytic compute cost of a MusicFM configuration.

Counts multiply-adds of the matrix products only (DFT, filterbank, convolutions, linear layers, attention
scores and weighted sums); element-wise work (norms, activations, softmax, residuals) is left out, it is a few
percent at most.
"""

from __future__ import annotations

import math
from typing import Dict

from .configs import MusicFMConfig


def multiply_adds(config: MusicFMConfig, seconds: float = 30.0) -> Dict[str, int]:
    """Multiply-adds for one window of `seconds`, by stage; `inference` is what embedding a window costs (no
    BEST-RQ head)."""
    c = config
    samples = round(seconds * c.sample_rate)
    stft_frames = samples // c.hop_length + 1
    n_freqs = c.n_fft // 2 + 1
    frontend = stft_frames * (2 * n_freqs * c.n_fft + n_freqs * c.n_mels)

    bands1, frames1 = math.ceil(c.n_mels / 2), math.ceil((stft_frames - 1) / 2)
    bands2, tokens = math.ceil(bands1 / 2), math.ceil(frames1 / 2)
    kernel = 9  # 3×3
    # conv1 and conv3 of the first block see one input channel, conv2 sees conv_dim.
    block0 = bands1 * frames1 * c.conv_dim * kernel * (1 + c.conv_dim + 1)
    block1 = bands2 * tokens * c.conv_dim * kernel * 3 * c.conv_dim
    subsampling = block0 + block1 + tokens * c.conv_dim * bands2 * c.hidden_size

    h = c.hidden_size
    feed_forwards = 2 * 2 * tokens * h * c.intermediate_size
    attention = 4 * tokens * h * h + 2 * tokens * tokens * h
    convolution = tokens * h * (2 * h + c.conv_depthwise_kernel_size + h)
    encoder = c.num_hidden_layers * (feed_forwards + attention + convolution)

    head = tokens * h * c.codebook_size
    return {"frontend": frontend, "subsampling": subsampling, "encoder": encoder, "head": head,
            "inference": frontend + subsampling + encoder}
