"""Reference cases for the C# mel frontend (tests/Inference.Tests/Frontends), from PyTorch/torchaudio.

Usage: mel_reference.py OUT.safetensors  (PYTHONPATH must reach musicsearch_training)

Cases ("<case>.<tensor>", parameters as JSON in the metadata entry "<case>"):
  op "musicfm":    the training project's MelFrontend (musicsearch_training.frontend) on seeded waveforms of
                   several lengths: dB mel in fp32 (the reference itself) and in float64 (the same fp32
                   samples, frontend.double(): the exact value), and the normalised fp32 output.
  op "torchaudio": torchaudio MelSpectrogram + AmplitudeToDB in float64 for the manifest options MusicFM
                   does not use (other sizes, slaney scale, win_length < n_fft, center=False, constant
                   padding, power 1).
  op "filterbank", "linspace", "window": the frontend's constant tables as torch computes them.
"""

from __future__ import annotations

import json
import math
import sys
from collections import OrderedDict

import torch
import torchaudio

from musicsearch_training.frontend import MSD_STATS, MelFrontend, htk_mel_filterbank
from musicsearch_training.safetensors_io import save_file

TENSORS: "OrderedDict[str, torch.Tensor]" = OrderedDict()
METADATA = {}
GENERATOR = torch.Generator().manual_seed(24000)


def case(name, op, tensors, **params):
    METADATA[name] = json.dumps({"op": op, **params})
    for key, value in tensors.items():
        TENSORS[f"{name}.{key}"] = value.detach().contiguous()


def noise(batch, length):
    return (0.1 * torch.randn(batch, length, generator=GENERATOR, dtype=torch.float64)).float()


def tones(length, sample_rate=24000):
    """A chord of pure tones, whose far-off bins lie below fp32's resolution."""
    t = torch.arange(length, dtype=torch.float64) / sample_rate
    chord = sum(a * torch.sin(2 * math.pi * f * t) for a, f in ((0.5, 440.0), (0.2, 1250.0), (0.05, 5003.0)))
    return chord.unsqueeze(0).float()


def musicfm_cases():
    frontend = MelFrontend()
    reference = MelFrontend().double()
    # Bins further below their frame's peak than `audible_db` are compared only for the record: below fp32's
    # resolution even the fp32 reference misses float64 by more than the tolerance. A pure tone's sidelobes
    # fall past that limit within 80 dB (the fp32 reference is 1.8e-3 dB off at 80 dB, 5e-5 dB at 40 dB),
    # so tones are held to 40 dB as frontend.py's own tests do; noise fills every bin and is held to 80 dB.
    clips = (("musicfm/noise_48000", noise(2, 48000), 80), ("musicfm/noise_72017", noise(2, 72017), 80),
             ("musicfm/tones_30001", tones(30001), 40), ("musicfm/noise_1500", noise(1, 1500), 80),
             ("musicfm/noise_1025", noise(2, 1025), 80), ("musicfm/noise_30s", noise(1, 720000), 80))
    for name, wav, audible_db in clips:
        case(name, "musicfm", {
            "waveform": wav,
            "mel_db": frontend.mel_db(wav),
            "mel_db_float64": reference.mel_db(wav.double()),
            "normalised": frontend(wav),
        }, mean=MSD_STATS.mean, std=MSD_STATS.std, audible_db=audible_db)


def torchaudio_cases():
    common = dict(sample_rate=16000, n_mels=40)
    configs = [
        ("torchaudio/16k_fmin_fmax", 16077,
         dict(common, n_fft=400, hop_length=160, f_min=50.0, f_max=7000.0)),
        ("torchaudio/slaney", 9000, dict(common, n_fft=512, hop_length=128, n_mels=64, mel_scale="slaney")),
        ("torchaudio/short_window", 8000, dict(common, n_fft=400, win_length=300, hop_length=100)),
        ("torchaudio/not_centred", 10000, dict(common, n_fft=512, hop_length=256, center=False)),
        ("torchaudio/constant_padding", 9999, dict(common, n_fft=512, hop_length=200, pad_mode="constant")),
        ("torchaudio/magnitude", 5000, dict(common, n_fft=256, hop_length=64, n_mels=32, power=1.0)),
    ]
    for name, length, config in configs:
        wav = noise(2, length)
        transform = torch.nn.Sequential(torchaudio.transforms.MelSpectrogram(**config),
                                        torchaudio.transforms.AmplitudeToDB(stype="power")).double()
        params = dict(sample_rate=config["sample_rate"], n_fft=config["n_fft"],
                      win_length=config.get("win_length", config["n_fft"]), hop_length=config["hop_length"],
                      n_mels=config["n_mels"], f_min=config.get("f_min", 0.0),
                      f_max=config.get("f_max", config["sample_rate"] / 2), power=config.get("power", 2.0),
                      mel_scale=config.get("mel_scale", "htk"), center=config.get("center", True),
                      pad_mode=config.get("pad_mode", "reflect"), drop_last_frame=False)
        case(name, "torchaudio", {"waveform": wav, "expected": transform(wav.double())}, **params)


def table_cases():
    for n_freqs, f_min, f_max, n_mels, sample_rate in ((1025, 0.0, 12000.0, 128, 24000),
                                                       (257, 0.0, 12000.0, 32, 24000),
                                                       (201, 50.0, 7000.0, 40, 16000),
                                                       (513, 0.0, 8000.0, 64, 16000)):
        case(f"filterbank/htk_{n_freqs}_{n_mels}", "filterbank",
             {"expected": htk_mel_filterbank(n_freqs, f_min, f_max, n_mels, sample_rate)},
             n_freqs=n_freqs, f_min=f_min, f_max=f_max, n_mels=n_mels, sample_rate=sample_rate,
             mel_scale="htk")
    slaney = torchaudio.functional.melscale_fbanks(257, 0.0, 8000.0, 64, 16000, norm=None, mel_scale="slaney")
    case("filterbank/slaney_257_64", "filterbank", {"expected": slaney},
         n_freqs=257, f_min=0.0, f_max=8000.0, n_mels=64, sample_rate=16000, mel_scale="slaney")

    generator = torch.Generator().manual_seed(5)
    for i in range(60):
        steps = int(torch.randint(2, 3000, (1,), generator=generator))
        start = float(torch.rand(1, generator=generator, dtype=torch.float64)) * 3000
        end = start + float(torch.rand(1, generator=generator, dtype=torch.float64)) * 4000 + 1
        # The scalars reach torch as fp32 (linspace rounds its Python floats to the output dtype).
        start, end = float(torch.tensor(start).float()), float(torch.tensor(end).float())
        case(f"linspace/{i:02d}", "linspace",
             {"expected": torch.linspace(start, end, steps, dtype=torch.float32)},
             start=start, end=end, steps=steps)

    for length in (2048, 400, 300):
        window = torch.hann_window(length, periodic=True, dtype=torch.float32)
        case(f"window/{length}", "window", {"expected": window}, length=length)


def main() -> None:
    musicfm_cases()
    torchaudio_cases()
    table_cases()
    save_file(TENSORS, sys.argv[1], metadata=METADATA)


if __name__ == "__main__":
    main()
