"""Reference activations of a package for the C# engine's tests.

    python3 -m musicsearch_training.golden PACKAGE_DIR OUT.safetensors [--seed N]

For fixed-seed synthetic music of several lengths, writes every intermediate the engine computes, in float32
(eval mode): `case{i}.wav` [N], `case{i}.mel` [n_mels, N//hop] (dB, last frame dropped, before normalisation),
`case{i}.mel_normalized`, `case{i}.conv` [T', hidden] (= hidden state 0), `case{i}.hidden.{k}` [T', hidden]
for k = 0..L, and `case{i}.embedding` [hidden] (mean over time at the package's layer).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import OrderedDict
from typing import Dict, List

import numpy as np
import torch

from .package import load_package, read_manifest
from .safetensors_io import save_file

# Seconds: a full 30 s window, lengths that are not whole hops or whole tokens, and one far below a window.
CASE_SECONDS = (30.0, 7.3, 3.01, 0.5)
# Added to the lengths above so that they are not multiples of the hop (240 samples at 24 kHz) either.
CASE_EXTRA_SAMPLES = (0, 37, 0, 345)

# A minor: A3, C4, E4, G4, A4, C5, E5.
SCALE_HZ = (220.0, 261.63, 329.63, 392.0, 440.0, 523.25, 659.26)


def case_lengths(sample_rate: int) -> List[int]:
    return [round(seconds * sample_rate) + extra for seconds, extra in zip(CASE_SECONDS, CASE_EXTRA_SAMPLES)]


def _add_note(audio: np.ndarray, sample_rate: int, start: int, seconds: float, decay: float,
              partials, rng: np.random.Generator) -> None:
    """Adds a note with a 5 ms attack and exponential decay, over `seconds` from sample `start`."""
    end = min(len(audio), start + round(seconds * sample_rate))
    local = np.arange(end - start) / sample_rate
    envelope = np.exp(-decay * local) * np.clip(local / 0.005, 0.0, 1.0)
    for frequency, amplitude in partials:
        phase = rng.uniform(0.0, 2.0 * math.pi)
        audio[start:end] += amplitude * envelope * np.sin(2.0 * math.pi * frequency * local + phase)


def synthetic_music(num_samples: int, sample_rate: int, seed: int) -> torch.Tensor:
    """A plucked melody (three harmonics per note, two notes a second), a bass note every two seconds and a
    little noise, peak-normalised to 0.5. Deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    audio = 0.003 * rng.standard_normal(num_samples)
    note_samples = sample_rate // 2
    for index, start in enumerate(range(0, num_samples, note_samples)):
        frequency = SCALE_HZ[rng.integers(len(SCALE_HZ))]
        _add_note(audio, sample_rate, start, 2.0, 4.0,
                  [(frequency, 0.3), (2 * frequency, 0.15), (3 * frequency, 0.075)], rng)
        if index % 4 == 0:
            bass = SCALE_HZ[0] / 4 if index % 8 == 0 else SCALE_HZ[3] / 4
            _add_note(audio, sample_rate, start, 4.0, 1.5, [(bass, 0.4)], rng)
    return torch.from_numpy(0.5 * audio / np.max(np.abs(audio))).to(torch.float32)


def golden_tensors(package_dir: str, seed: int):
    manifest = read_manifest(package_dir)
    model = load_package(package_dir)
    layer = manifest["embedding"]["layer"]
    sample_rate = manifest["sample_rate"]
    tensors: "OrderedDict[str, torch.Tensor]" = OrderedDict()
    lengths = case_lengths(sample_rate)
    with torch.no_grad():
        for case, length in enumerate(lengths):
            wav = synthetic_music(length, sample_rate, seed + case)
            mel = model.frontend.mel_db(wav.unsqueeze(0))
            mel_normalized = model.frontend.normalize(mel)
            hidden = model.conformer(model.conv(mel_normalized))
            prefix = f"case{case}"
            tensors[f"{prefix}.wav"] = wav
            tensors[f"{prefix}.mel"] = mel[0]
            tensors[f"{prefix}.mel_normalized"] = mel_normalized[0]
            tensors[f"{prefix}.conv"] = hidden[0][0]
            for k, state in enumerate(hidden):
                tensors[f"{prefix}.hidden.{k}"] = state[0]
            tensors[f"{prefix}.embedding"] = hidden[layer][0].mean(dim=0)
    metadata: Dict[str, str] = {
        "version": manifest["version"], "sample_rate": str(sample_rate), "seed": str(seed),
        "layer": str(layer), "num_cases": str(len(lengths)), "lengths": ",".join(map(str, lengths)),
        "num_hidden_states": str(model.config.num_hidden_layers + 1),
    }
    return tensors, metadata


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.golden",
                                     description="Write reference activations of a model package.")
    parser.add_argument("package_dir")
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    tensors, metadata = golden_tensors(args.package_dir, args.seed)
    save_file(tensors, args.output, metadata=metadata)
    print(f"{args.output}: {metadata['num_cases']} cases of {metadata['lengths']} samples, "
          f"{metadata['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
