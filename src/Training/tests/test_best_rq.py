import math

import pytest
import torch
import torch.nn.functional as F

from musicsearch_training.best_rq import RandomProjectionQuantizer
from musicsearch_training.configs import get_config
from musicsearch_training.musicfm import MusicFM


def music_like(samples, batch=2, seed=0):
    generator = torch.Generator().manual_seed(seed)
    t = torch.arange(samples) / 24000
    notes = torch.tensor([220.0, 261.63, 329.63, 392.0])[torch.randint(4, (batch, 1), generator=generator)]
    tone = 0.3 * torch.sin(2 * math.pi * notes * t) * torch.exp(-2.0 * (t % 0.5))
    return tone + 0.02 * torch.randn(batch, samples, generator=generator)


@pytest.fixture(scope="module")
def tiny():
    torch.manual_seed(0)
    return MusicFM(get_config("tiny"))


def test_quantizer_draws_equal_musicfm_seeded_init():
    with torch.random.fork_rng():
        torch.manual_seed(142)
        projection = torch.empty(512, 16)
        torch.nn.init.xavier_normal_(projection)
        codebook = torch.empty(4096, 16)
        torch.nn.init.normal_(codebook)
    state = torch.get_rng_state()
    quantizer = RandomProjectionQuantizer(n_mels=128, codebook_dim=16, codebook_size=4096)
    assert torch.equal(torch.get_rng_state(), state), "the global RNG must not be reseeded"
    assert torch.equal(quantizer.random_projection, projection)
    assert torch.equal(quantizer.codebook, codebook)
    assert abs(projection.std().item() - math.sqrt(2 / (512 + 16))) < 0.003


def test_targets_shape_range_and_determinism(tiny):
    wav = music_like(24000 * 2)
    targets = tiny.get_targets(wav)
    assert targets.shape == (2, 50) and targets.dtype == torch.int64
    assert 0 <= targets.min() and targets.max() < 64
    assert len(targets.unique()) > 3
    assert torch.equal(targets, tiny.get_targets(wav))
    torch.manual_seed(123)
    other = MusicFM(get_config("tiny"))
    assert torch.equal(targets, other.get_targets(wav)), "targets must not depend on the init"


def test_targets_follow_the_spec(tiny):
    wav = music_like(24000, seed=3)
    mel = tiny.frontend(wav)  # normalised, [B, F, 4·T']
    batch, bands, frames = mel.shape
    projection, codebook = tiny.quantizer.random_projection, tiny.quantizer.codebook
    expected = torch.empty(batch, frames // 4, dtype=torch.int64)
    for b in range(batch):
        for t in range(frames // 4):
            stacked = torch.cat([mel[b, :, 4 * t + s] for s in range(4)])  # index s·F + f
            vector = F.normalize(stacked @ projection, dim=0)
            distances = torch.cdist(F.normalize(codebook, dim=-1), vector[None, :])[:, 0]
            expected[b, t] = distances.argmin()
    assert torch.equal(tiny.get_targets(wav), expected)


def test_targets_need_whole_token_groups(tiny):
    with pytest.raises(ValueError, match="groups of 4 mel frames"):
        tiny.get_targets(torch.randn(1, 24000 + 240))


def test_masking_aligns_blocks_and_tokens(tiny):
    blocks, remainder = 12, 5000
    wav = torch.full((4, blocks * 9600 + remainder), 5.0)
    masked, token_mask = tiny.masking(wav, torch.Generator().manual_seed(0))
    tokens = math.ceil(math.ceil((wav.shape[1] // 240) / 2) / 2)
    assert token_mask.shape == (4, tokens) and token_mask.dtype == torch.bool
    for b in range(4):
        for block in range(blocks):
            samples = masked[b, block * 9600:(block + 1) * 9600]
            block_tokens = token_mask[b, block * 10:(block + 1) * 10]
            if block_tokens[0]:
                assert block_tokens.all() and torch.all(samples != 5.0)
                assert 0.07 < samples.std().item() < 0.13 and abs(samples.mean().item()) < 0.01
            else:
                assert not block_tokens.any() and torch.all(samples == 5.0)
        assert torch.all(masked[b, blocks * 9600:] == 5.0), "the trailing remainder is never masked"
        assert not token_mask[b, blocks * 10:].any()
    assert 0 < token_mask.sum() < token_mask[:, :blocks * 10].numel()
    assert torch.equal(wav, torch.full_like(wav, 5.0)), "the input is not modified"


def test_masking_rate_and_generator(tiny):
    wav = torch.zeros(8, 100 * 9600)
    masked, token_mask = tiny.masking(wav, torch.Generator().manual_seed(1))
    assert abs(token_mask.float().mean().item() - 0.6) < 0.06
    again, again_mask = tiny.masking(wav, torch.Generator().manual_seed(1))
    assert torch.equal(masked, again) and torch.equal(token_mask, again_mask)


def test_masking_generalises_to_other_rates():
    config = get_config("tiny").replace(sample_rate=16000, hop_length=160, f_max=None)
    assert config.mask_block_samples == 6400 and config.mask_block_tokens == 10
    wav = torch.full((1, 6400 * 5), 5.0)
    masked, token_mask = MusicFM(config).masking(wav, torch.Generator().manual_seed(2))
    for block in range(5):
        replaced = torch.all(masked[0, block * 6400:(block + 1) * 6400] != 5.0)
        assert bool(token_mask[0, block * 10]) == bool(replaced)


def test_loss_uses_clean_targets_on_masked_tokens(tiny):
    wav = music_like(9600 * 6)
    tiny.eval()
    with torch.no_grad():
        loss, accuracy = tiny.best_rq_loss(wav, torch.Generator().manual_seed(4))
        masked, token_mask = tiny.masking(wav, torch.Generator().manual_seed(4))
        logits, targets = tiny(masked)[token_mask], tiny.get_targets(wav)[token_mask]
    assert token_mask.any()
    assert torch.allclose(loss, F.cross_entropy(logits, targets))
    assert torch.allclose(accuracy, (logits.argmax(-1) == targets).float().mean())


def test_loss_is_zero_without_masked_blocks(tiny):
    loss, accuracy = tiny.best_rq_loss(music_like(960 * 8))
    assert loss.item() == 0.0 and accuracy.item() == 0.0 and loss.requires_grad


def test_one_optimiser_step_lowers_the_loss():
    torch.manual_seed(0)
    model = MusicFM(get_config("tiny")).train()
    wav = music_like(9600 * 5, batch=4)
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)

    def loss():
        torch.manual_seed(7)  # the same dropout masks both times
        return model.best_rq_loss(wav, torch.Generator().manual_seed(5))[0]

    before = loss()
    optimiser.zero_grad()
    before.backward()
    optimiser.step()
    with torch.no_grad():
        after = loss()
    assert after.item() < before.item() - 1e-3
    frozen = RandomProjectionQuantizer(32, 8, 64)
    assert torch.equal(model.quantizer.codebook, frozen.codebook), "the quantizer is not trained"


def test_targets_do_not_depend_on_mixed_precision():
    # Under bf16 autocast the frontend's DFT and the quantizer's projection would run in bf16 and move about
    # 6 % of `small`'s targets across codebook boundaries; both keep themselves in fp32.
    model = MusicFM(get_config("small")).eval()
    wav = torch.randn(2, 4 * model.config.hop_length * 25, generator=torch.Generator().manual_seed(3))
    expected_mel = model.frontend(wav)
    expected = model.quantizer(expected_mel)
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        mel = model.frontend(wav)
        targets = model.quantizer(mel)
    assert mel.dtype == torch.float32 and torch.equal(mel, expected_mel)
    assert torch.equal(targets, expected)
