"""BEST-RQ pieces of MusicFM's pretraining (MODEL_SPEC §1.7): the frozen random-projection quantizer
that turns clean mel frames into target tokens, and the waveform-domain block masking."""

from __future__ import annotations

import math
from typing import Optional, Tuple

import torch
from torch import nn

from .frontend import without_autocast

# MusicFM stacks 4 mel frames per token, matching the two stride-2 convolutions (§1.3).
FRAMES_PER_TOKEN = 4


class RandomProjectionQuantizer(nn.Module):
    """Frozen Xavier-normal projection [FRAMES_PER_TOKEN·n_mels, codebook_dim] and standard-normal codebook
    [codebook_size, codebook_dim], drawn from seed 142 + index as MusicFM does (§1.7)."""

    def __init__(self, n_mels: int, codebook_dim: int, codebook_size: int, index: int = 0):
        super().__init__()
        self.n_mels = n_mels
        input_dim = FRAMES_PER_TOKEN * n_mels
        # A private generator in the state torch.manual_seed(142 + index) would give, so the draws equal
        # MusicFM's without clobbering the global RNG the rest of the model is initialised from.
        generator = torch.Generator().manual_seed(142 + index)
        xavier_std = math.sqrt(2.0 / (input_dim + codebook_dim))
        projection = torch.empty(input_dim, codebook_dim).normal_(0.0, xavier_std, generator=generator)
        codebook = torch.empty(codebook_size, codebook_dim).normal_(0.0, 1.0, generator=generator)
        self.register_buffer("random_projection", projection)
        self.register_buffer("codebook", codebook)

    @torch.no_grad()
    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        """Normalised mel [B, n_mels, 4·T'] -> tokens [B, T'] (int64)."""
        batch, bands, frames = mel.shape
        if frames % FRAMES_PER_TOKEN:
            raise ValueError(f"BEST-RQ targets need whole groups of {FRAMES_PER_TOKEN} mel frames, found "
                             f"{frames} frames; use a waveform length that is a multiple of "
                             f"{FRAMES_PER_TOKEN}·hop_length")
        # [B, F, T'·4] -> [B, T', 4·F] with feature index s·F + f (frame-within-group outer), as MusicFM's
        # rearrange.
        stacked = mel.reshape(batch, bands, frames // FRAMES_PER_TOKEN, FRAMES_PER_TOKEN)
        stacked = stacked.permute(0, 2, 3, 1).reshape(batch, frames // FRAMES_PER_TOKEN,
                                                      FRAMES_PER_TOKEN * bands)
        # Targets are computed in fp32 even under mixed precision, so they do not depend on the training dtype.
        with without_autocast(stacked):
            projected = nn.functional.normalize(stacked @ self.random_projection.to(stacked.dtype), dim=-1)
            codebook = nn.functional.normalize(self.codebook.to(stacked.dtype), dim=-1)
            # Nearest unit codebook vector in Euclidean distance = largest cosine.
            return torch.argmax(projected @ codebook.t(), dim=-1)


def mask_blocks(wav: torch.Tensor, num_tokens: int, block_samples: int, block_tokens: int,
                probability: float, noise_std: float, generator: Optional[torch.Generator] = None
                ) -> Tuple[torch.Tensor, torch.Tensor]:
    """Masks whole consecutive blocks of the waveform [B, N] independently with `probability`, replacing
    their samples with N(0, noise_std²) noise. Returns the masked waveform and the aligned token mask
    [B, num_tokens]: block b covers tokens b·block_tokens … (b+1)·block_tokens − 1; a trailing partial block
    is never masked. A generator must live on the waveform's device."""
    batch, length = wav.shape
    blocks = length // block_samples
    chosen = torch.rand(batch, blocks, generator=generator, device=wav.device) < probability
    noise = torch.randn(batch, blocks * block_samples, generator=generator, device=wav.device,
                        dtype=wav.dtype)
    sample_mask = torch.zeros(batch, length, dtype=torch.bool, device=wav.device)
    sample_mask[:, :blocks * block_samples] = chosen.repeat_interleave(block_samples, dim=1)
    masked = wav.clone()
    masked[sample_mask] = noise_std * noise[sample_mask[:, :blocks * block_samples]]
    token_mask = torch.zeros(batch, num_tokens, dtype=torch.bool, device=wav.device)
    token_mask[:, :blocks * block_tokens] = chosen.repeat_interleave(block_tokens, dim=1)
    return masked, token_mask
