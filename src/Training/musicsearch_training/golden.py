"""Reference activations of a package, of any architecture, for the C# engine's tests.

    python3 -m musicsearch_training.golden PACKAGE_DIR OUT.safetensors [--seed N]

For fixed-seed synthetic music of several lengths at the package's sample rate, writes every intermediate the
engine computes, in float32 (eval mode). For every architecture: `case{i}.wav` [N], `case{i}.hidden.{k}`
[T, hidden] for k = 0..L, and `case{i}.embedding` [hidden] (mean over time at the package's layer). Between the
two, musicfm adds `case{i}.mel` [n_mels, N//hop] (dB, last frame dropped, before normalisation),
`case{i}.mel_normalized` and `case{i}.conv` [T, hidden] (= hidden state 0), and a level-normalised package
`case{i}.wav_normalized` [N] (the standardised waveform the mel is computed from); mert and music2vec add
`case{i}.wav_normalized` [N] (the feature encoder's input: per-clip normalised, or the waveform itself for
normalization `none`), `case{i}.conv.{j}` [conv_dim[j], T_j] for every conv layer j, `case{i}.features`
[conv_dim[-1], T] (= the last conv layer) and `case{i}.projection` [T, hidden] (the feature projection, before
the positional conv).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import OrderedDict
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch

from .musicfm import MusicFM
from .package import ARCHITECTURE as MUSICFM, load_package
from .package_format import read_package_manifest
from .safetensors_io import save_file
from .waveform_configs import ARCHITECTURES as WAVEFORM_ARCHITECTURES
from .waveform_encoder import WaveformModel
from .waveform_features import normalize_per_clip
from .waveform_package import load_waveform_package

# The first case is one full window (the package's). MusicFM: lengths that are not whole hops or whole tokens,
# and one far below a window. Waveform encoders: lengths that are not whole frames, and one of a few frames.
MUSICFM_SHORT_CASE_SECONDS = (7.3, 3.01, 0.5)
WAVEFORM_SHORT_CASE_SECONDS = (7.3, 1.01, 0.05)
# Added so that no length is a multiple of MusicFM's hop (240 samples at 24 kHz) or a waveform encoder's total
# stride (320), nor lines up with the latter's receptive field (400).
CASE_EXTRA_SAMPLES = (0, 37, 0, 345)

# A minor: A3, C4, E4, G4, A4, C5, E5.
SCALE_HZ = (220.0, 261.63, 329.63, 392.0, 440.0, 523.25, 659.26)

HiddenStates = Tuple[torch.Tensor, ...]


def case_lengths(sample_rate: int, window_seconds: float, short_seconds: Sequence[float]) -> List[int]:
    seconds = (window_seconds, *short_seconds)
    return [round(s * sample_rate) + extra for s, extra in zip(seconds, CASE_EXTRA_SAMPLES)]


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


# Each architecture's intermediates: the tensors between `wav` and the hidden states, named without the case
# prefix, and the hidden states.
def musicfm_intermediates(model: MusicFM, wav: torch.Tensor) -> Tuple[Dict[str, torch.Tensor], HiddenStates]:
    mel = model.frontend.mel_db(wav.unsqueeze(0))
    mel_normalized = model.frontend.normalize(mel)
    hidden = model.conformer(model.conv(mel_normalized))
    named = {"mel": mel[0], "mel_normalized": mel_normalized[0], "conv": hidden[0][0]}
    if model.config.level_epsilon is not None:
        named = {"wav_normalized": normalize_per_clip(wav, model.config.level_epsilon), **named}
    return named, hidden


def waveform_intermediates(model: WaveformModel, wav: torch.Tensor) -> Tuple[Dict[str, torch.Tensor], HiddenStates]:
    prepared = model.prepare(wav.unsqueeze(0))
    convs = model.feature_extractor.layer_outputs(prepared)
    projection = model.feature_projection(convs[-1])
    named = {"wav_normalized": prepared[0]}
    named.update((f"conv.{j}", conv[0]) for j, conv in enumerate(convs))
    named.update(features=convs[-1][0], projection=projection[0])
    return named, model.encoder(projection)


def golden_tensors(package_dir: str, seed: int):
    manifest = read_package_manifest(package_dir, (MUSICFM, *WAVEFORM_ARCHITECTURES))
    if manifest["architecture"] == MUSICFM:
        model = load_package(package_dir)
        intermediates, short_seconds = musicfm_intermediates, MUSICFM_SHORT_CASE_SECONDS
        architecture_metadata = {}
    else:
        model = load_waveform_package(package_dir)
        intermediates, short_seconds = waveform_intermediates, WAVEFORM_SHORT_CASE_SECONDS
        architecture_metadata = {"architecture": manifest["architecture"],
                                 "normalization": manifest["normalization"]["type"],
                                 "num_conv_layers": str(len(model.config.conv_dim))}
    layer = manifest["embedding"]["layer"]
    sample_rate = manifest["sample_rate"]
    lengths = case_lengths(sample_rate, manifest["embedding"]["window_seconds"], short_seconds)
    tensors: "OrderedDict[str, torch.Tensor]" = OrderedDict()
    with torch.no_grad():
        for case, length in enumerate(lengths):
            wav = synthetic_music(length, sample_rate, seed + case)
            named, hidden = intermediates(model, wav)
            prefix = f"case{case}"
            tensors[f"{prefix}.wav"] = wav
            tensors.update((f"{prefix}.{name}", tensor) for name, tensor in named.items())
            for k, state in enumerate(hidden):
                tensors[f"{prefix}.hidden.{k}"] = state[0]
            tensors[f"{prefix}.embedding"] = hidden[layer][0].mean(dim=0)
    metadata: Dict[str, str] = {
        "version": manifest["version"], "sample_rate": str(sample_rate), "seed": str(seed),
        "layer": str(layer), "num_cases": str(len(lengths)), "lengths": ",".join(map(str, lengths)),
        "num_hidden_states": str(model.config.num_hidden_layers + 1), **architecture_metadata,
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
