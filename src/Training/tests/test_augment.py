"""Waveform augmentations: each one measured doing what it says, and the random chain's seeding, ranges and
probabilities."""

import math

import pytest
import torch

from musicsearch_training.augment import (LOWPASS_TRANSITION_HZ, AugmentConfig, add_noise, apply_eq,
                                          apply_gain, apply_lowpass, augment)

SAMPLE_RATE = 24000
NOTHING = AugmentConfig(gain_prob=0.0, eq_prob=0.0, noise_prob=0.0, lowpass_prob=0.0)


def white_noise(rows, samples=2 * SAMPLE_RATE, seed=0):
    return 0.1 * torch.randn(rows, samples, generator=torch.Generator().manual_seed(seed))


def db(ratio):
    return 10.0 * torch.log10(ratio)


def band_power(wav, low_hz, high_hz):
    """Per-row power of the FFT bins in [low_hz, high_hz)."""
    power = torch.fft.rfft(wav, dim=-1).abs().pow(2)
    frequencies = torch.fft.rfftfreq(wav.shape[-1], 1.0 / SAMPLE_RATE)
    return power[:, (frequencies >= low_hz) & (frequencies < high_hz)].sum(dim=-1)


def stft_power(wav):
    """Mean power per bin [B, 1025] of a Hann-windowed STFT: an analysis independent of the filter's FFT.
    Not centred: reflect padding would put a broadband kink at each end of the signal."""
    spectrum = torch.stft(wav, 2048, hop_length=512, window=torch.hann_window(2048), center=False,
                          return_complex=True)
    return spectrum.abs().pow(2).mean(dim=-1)


def rms_gain_db(before, after):
    return 20.0 * torch.log10(after.pow(2).mean(dim=-1).sqrt() / before.pow(2).mean(dim=-1).sqrt())


def test_gain_changes_the_level_by_the_given_decibels():
    wav = white_noise(3)
    gains = torch.tensor([-12.0, 0.0, 7.5])
    torch.testing.assert_close(rms_gain_db(wav, apply_gain(wav, gains)), gains, atol=1e-4, rtol=0)


def test_noise_is_added_at_the_given_snr():
    time = torch.arange(2 * SAMPLE_RATE) / SAMPLE_RATE
    wav = torch.stack([0.5 * torch.sin(2 * math.pi * 440 * time), white_noise(1)[0], 0.01 * time,
                       torch.zeros_like(time), white_noise(1, seed=1)[0]])
    snr = torch.tensor([10.0, 20.0, 35.0, 20.0, math.inf])
    noisy = add_noise(wav, snr, torch.Generator().manual_seed(0))
    noise = noisy - wav
    measured = db(wav.pow(2).mean(dim=-1) / noise.pow(2).mean(dim=-1))
    torch.testing.assert_close(measured[:3], snr[:3], atol=0.01, rtol=0)
    # A silent row has no defined SNR and stays silent; +inf dB adds nothing.
    assert torch.equal(noisy[3], wav[3]) and torch.equal(noisy[4], wav[4])
    # White: as much noise above 6 kHz as below it, within the estimate's spread.
    assert abs(db(band_power(noise[:1], 6000, 12000) / band_power(noise[:1], 0, 6000)).item()) < 0.2


@pytest.mark.parametrize("cutoff_hz", [5000.0, 8000.0, 11000.0])
def test_lowpass_removes_the_band_above_the_cutoff(cutoff_hz):
    wav = white_noise(1)
    filtered = apply_lowpass(wav, SAMPLE_RATE, torch.tensor([cutoff_hz]))
    attenuation = db(stft_power(filtered)[0] / stft_power(wav)[0])
    frequencies = torch.fft.rfftfreq(2048, 1.0 / SAMPLE_RATE)
    # Beyond the Hann window's main lobe (2 bins) above the cut-off, at least 40 dB down.
    stop_band = frequencies >= cutoff_hz + 2 * SAMPLE_RATE / 2048
    assert stop_band.any() and attenuation[stop_band].max() < -40.0
    pass_band = frequencies < cutoff_hz - LOWPASS_TRANSITION_HZ - 2 * SAMPLE_RATE / 2048
    assert attenuation[pass_band].abs().max() < 0.1


def test_lowpass_at_or_above_nyquist_changes_nothing():
    wav = white_noise(1)
    torch.testing.assert_close(apply_lowpass(wav, SAMPLE_RATE, torch.tensor([SAMPLE_RATE / 2 + 400.0])), wav,
                               atol=1e-6, rtol=0)


def test_eq_shelves_move_each_band_by_its_gain_and_tilt_in_the_asked_direction():
    wav = white_noise(2)
    towards_treble = torch.tensor([-6.0, 6.0])  # row 0 tilts up, row 1 down
    shelved = apply_eq(wav, SAMPLE_RATE, towards_treble, torch.zeros(2), -towards_treble)
    # Bands well inside each shelf (about an octave from the 250 Hz and 4 kHz crossovers).
    bass = db(band_power(shelved, 40, 120) / band_power(wav, 40, 120))
    mid = db(band_power(shelved, 900, 1100) / band_power(wav, 900, 1100))
    treble = db(band_power(shelved, 8000, 11000) / band_power(wav, 8000, 11000))
    torch.testing.assert_close(bass, towards_treble, atol=0.3, rtol=0)
    torch.testing.assert_close(mid, torch.zeros(2), atol=0.05, rtol=0)
    torch.testing.assert_close(treble, -towards_treble, atol=0.3, rtol=0)
    # The tilt's direction as a listener would measure it: more treble than bass after tilting up.
    assert treble[0] - bass[0] > 10.0 and treble[1] - bass[1] < -10.0
    boosted_mid = apply_eq(wav, SAMPLE_RATE, torch.zeros(2), torch.tensor([4.0, -4.0]), torch.zeros(2))
    torch.testing.assert_close(db(band_power(boosted_mid, 900, 1100) / band_power(wav, 900, 1100)),
                               torch.tensor([4.0, -4.0]), atol=0.05, rtol=0)


def test_augment_is_reproducible_from_the_generator_and_independent_per_row():
    wav = white_noise(4)
    config = AugmentConfig()
    first = augment(wav, SAMPLE_RATE, config, torch.Generator().manual_seed(3))
    again = augment(wav, SAMPLE_RATE, config, torch.Generator().manual_seed(3))
    other = augment(wav, SAMPLE_RATE, config, torch.Generator().manual_seed(4))
    assert torch.equal(first, again) and not torch.equal(first, other)
    # The same input in every row comes out differently in each.
    same = augment(wav[:1].expand(4, -1), SAMPLE_RATE, config, torch.Generator().manual_seed(3))
    assert len({round(value, 4) for value in rms_gain_db(wav[:1].expand(4, -1), same).tolist()}) == 4
    # With every probability 0 only the FFT round trips' rounding is left.
    torch.testing.assert_close(augment(wav, SAMPLE_RATE, NOTHING, torch.Generator()), wav, atol=1e-6, rtol=0)


def test_augment_draws_within_the_configured_ranges_and_probabilities():
    wav = white_noise(400, samples=1024)
    gains = rms_gain_db(wav, augment(wav, SAMPLE_RATE, AugmentConfig(
        gain_prob=0.5, gain_db=(-3.0, 3.0), eq_prob=0.0, noise_prob=0.0, lowpass_prob=0.0),
        torch.Generator().manual_seed(0)))
    assert gains.abs().max() <= 3.0 + 1e-3
    changed = (gains.abs() > 1e-3).float().mean().item()
    assert 0.4 < changed < 0.6

    wav = white_noise(8)
    band_limited = augment(wav, SAMPLE_RATE, AugmentConfig(
        gain_prob=0.0, eq_prob=0.0, noise_prob=0.0, lowpass_prob=1.0, lowpass_hz=(6000.0, 8000.0)),
        torch.Generator().manual_seed(0))
    above = db(band_power(band_limited, 8000, 12000) / band_power(wav, 8000, 12000))
    assert above.max() < -40.0
    below = db(band_power(band_limited, 0, 5000) / band_power(wav, 0, 5000))
    assert below.abs().max() < 0.01


def test_config_overrides_and_validation():
    config = AugmentConfig.from_dict({"snr_db": [20, 30], "noise_prob": 1.0})
    assert config.snr_db == (20, 30) and config.noise_prob == 1.0
    assert config.gain_prob == AugmentConfig().gain_prob
    assert AugmentConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="unknown augment fields"):
        AugmentConfig.from_dict({"pitch_shift": 2})
    with pytest.raises(ValueError, match="gain_prob"):
        AugmentConfig(gain_prob=1.5)
    with pytest.raises(ValueError, match="snr_db"):
        AugmentConfig(snr_db=(40.0, 10.0))
