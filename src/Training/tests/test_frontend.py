import math

import pytest
import torch
import torchaudio

from musicsearch_training.frontend import MSD_STATS, MelFrontend, MelStats, htk_mel_filterbank

TOLERANCE_DB = 1e-4


def torchaudio_mel_db(sample_rate=24000, n_fft=2048, hop_length=240, n_mels=128, **kwargs):
    return torch.nn.Sequential(
        torchaudio.transforms.MelSpectrogram(sample_rate=sample_rate, n_fft=n_fft, hop_length=hop_length,
                                             n_mels=n_mels, **kwargs),
        torchaudio.transforms.AmplitudeToDB())


def noise(length, batch=2, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return 0.1 * torch.randn(batch, length, generator=generator, dtype=torch.float64)


def sine(length, frequency=440.0, sample_rate=24000):
    t = torch.arange(length, dtype=torch.float64) / sample_rate
    return (0.5 * torch.sin(2 * math.pi * frequency * t)).unsqueeze(0)


@pytest.mark.parametrize("n_freqs,f_min,f_max,n_mels,sample_rate", [
    (1025, 0.0, 12000.0, 128, 24000),
    (257, 0.0, 12000.0, 32, 24000),
    (201, 50.0, 7000.0, 40, 16000),
])
def test_filterbank_equals_torchaudio(n_freqs, f_min, f_max, n_mels, sample_rate):
    expected = torchaudio.functional.melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate,
                                                     norm=None, mel_scale="htk")
    actual = htk_mel_filterbank(n_freqs, f_min, f_max, n_mels, sample_rate)
    assert actual.dtype == torch.float32 and actual.shape == (n_freqs, n_mels)
    assert torch.equal(actual, expected)


def test_buffers_have_the_checkpoint_names_and_values():
    frontend = MelFrontend()
    reference = torchaudio.transforms.MelSpectrogram(sample_rate=24000, n_fft=2048, hop_length=240,
                                                     n_mels=128)
    state = frontend.state_dict()
    assert sorted(state) == ["mel_stft.mel_scale.fb", "mel_stft.spectrogram.window"]
    assert torch.equal(state["mel_stft.spectrogram.window"], reference.spectrogram.window)
    assert torch.equal(state["mel_stft.mel_scale.fb"], reference.mel_scale.fb)


@pytest.mark.parametrize("signal", ["noise", "sine"])
@pytest.mark.parametrize("length", [48000, 72017, 30001])
def test_float64_mel_equals_torchaudio(signal, length):
    wav = noise(length) if signal == "noise" else sine(length)
    frontend = MelFrontend()
    # Casting down and up again must not leave a rounded DFT basis behind.
    frontend.float().double()
    expected = torchaudio_mel_db().double()(wav)[..., :-1]
    actual = frontend.mel_db(wav)
    assert actual.dtype == torch.float64
    assert actual.shape == expected.shape == (wav.shape[0], 128, length // 240)
    assert (actual - expected).abs().max().item() < TOLERANCE_DB


@pytest.mark.parametrize("length", [48000, 72017])
def test_float32_mel_equals_torchaudio(length):
    frontend, reference = MelFrontend(), torchaudio_mel_db()
    wav = noise(length).float()
    assert (frontend.mel_db(wav) - reference(wav)[..., :-1]).abs().max().item() < TOLERANCE_DB

    # A pure tone's far-off bins lie ~150 dB below its peak, under float32's rounding floor, where
    # torchaudio's own float32 result differs from its float64 one by ~1 dB; compare the bins within 40 dB of
    # each frame's peak.
    wav = sine(length).float()
    expected = reference(wav)[..., :-1]
    audible = expected > expected.amax(dim=1, keepdim=True) - 40.0
    assert audible.float().mean() > 0.02
    assert (frontend.mel_db(wav) - expected)[audible].abs().max().item() < TOLERANCE_DB


def test_other_frontend_parameters_equal_torchaudio():
    wav = noise(16000 + 77, seed=3)
    frontend = MelFrontend(sample_rate=16000, n_fft=400, hop_length=160, n_mels=40, f_min=50.0,
                           f_max=7000.0).double()
    expected = torchaudio_mel_db(16000, 400, 160, 40, f_min=50.0, f_max=7000.0).double()(wav)[..., :-1]
    assert frontend.mel_db(wav).shape == expected.shape == (2, 40, (16000 + 77) // 160)
    assert (frontend.mel_db(wav) - expected).abs().max().item() < TOLERANCE_DB


def test_normalisation_uses_the_global_stats():
    wav = noise(24000).float()
    frontend = MelFrontend(stats=MelStats(mean=-3.0, std=4.0))
    assert torch.allclose(frontend(wav), (frontend.mel_db(wav) + 3.0) / 4.0)
    assert MelFrontend().stats == MSD_STATS


def test_db_floor_without_top_db():
    silence = torch.zeros(1, 4800)
    assert torch.all(MelFrontend().mel_db(silence) == -100.0)


def test_too_short_input_is_a_clear_error():
    with pytest.raises(ValueError, match="n_fft/2"):
        MelFrontend().mel_db(torch.zeros(1, 1024))


def test_level_normalisation_standardises_each_clip_before_the_mel():
    wav = noise(24000).float()
    plain, levelled = MelFrontend(), MelFrontend(level_epsilon=1e-5)
    x = wav.double()
    standardised = ((x - x.mean(-1, keepdim=True)) / torch.sqrt(x.var(-1, unbiased=False, keepdim=True) + 1e-5)).float()
    assert torch.allclose(levelled.mel_db(wav), plain.mel_db(standardised), atol=1e-4)


# Down to -20 dB: the clip (noise at -20 dBFS) then sits at -40 dBFS, 10 dB above the epsilon's knee.
@pytest.mark.parametrize("gain_db", [-20.0, -12.0, 6.0])
def test_level_normalisation_makes_the_mel_blind_to_gain(gain_db):
    wav = noise(48000).float()
    louder = wav * 10 ** (gain_db / 20)
    levelled = MelFrontend(level_epsilon=1e-5)
    assert (levelled(louder) - levelled(wav)).abs().max().item() < 0.05
    # Without it the whole normalised mel moves by gain/std.
    assert (MelFrontend()(louder) - MelFrontend()(wav)).abs().mean().item() > 0.9 * abs(gain_db) / MSD_STATS.std


def test_level_normalisation_caps_the_gain_of_near_silence():
    hiss = noise(24000).float() * 1e-5  # about -100 dBFS
    levelled = MelFrontend(level_epsilon=1e-5)
    # Scaled by at most 1/sqrt(1e-5) (+50 dB): still 30 dB or more below a full-level clip's mel.
    assert levelled.mel_db(hiss).mean() < levelled.mel_db(noise(24000).float()).mean() - 30
