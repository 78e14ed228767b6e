import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from musicsearch_training.configs import ConfigError
from musicsearch_training.waveform_configs import get_waveform_config
from musicsearch_training.waveform_encoder import WaveformModel
from musicsearch_training.waveform_features import conv_output_lengths, frame_count, normalize_per_clip
from musicsearch_training.package import randomize_normalization_layers
from musicsearch_training.waveform_package import build_manifest
from musicsearch_training.waveform_transformer import WeightNormConv1d
from waveform_inventory import csharp_required_tensors


def tiny(name, seed=0, dtype=torch.float32):
    torch.manual_seed(seed)
    model = WaveformModel(get_waveform_config(name))
    randomize_normalization_layers(model, torch.Generator().manual_seed(seed + 1))
    return model.to(dtype).eval()


def music_like(samples, sample_rate=24000, batch=1, seed=0, dtype=torch.float32):
    generator = torch.Generator().manual_seed(seed)
    t = torch.arange(samples, dtype=torch.float64) / sample_rate
    tone = sum(torch.sin(2 * math.pi * f * t) for f in (110.0, 220.0, 330.0, 440.0)) / 8
    return (tone + 0.05 * torch.randn(batch, samples, generator=generator, dtype=torch.float64)).to(dtype)


# MODEL_SPEC §3.2 / §4 written out with functional ops, independently of the modules under test.

def ln(module, x, eps):
    return F.layer_norm(x, x.shape[-1:], module.weight, module.bias, eps)


def attention_reference(attention, x):
    heads = attention.num_heads
    d = x.shape[-1] // heads
    q = F.linear(x, attention.q_proj.weight, attention.q_proj.bias) * d ** -0.5
    k = F.linear(x, attention.k_proj.weight, attention.k_proj.bias)
    v = F.linear(x, attention.v_proj.weight, attention.v_proj.bias)
    out = torch.empty_like(x)
    for h in range(heads):
        part = slice(h * d, (h + 1) * d)
        out[..., part] = torch.softmax(q[..., part] @ k[..., part].transpose(1, 2), dim=-1) @ v[..., part]
    return F.linear(out, attention.out_proj.weight, attention.out_proj.bias)


def ffn_reference(ff, x):
    x = F.gelu(F.linear(x, ff.intermediate_dense.weight, ff.intermediate_dense.bias))
    return F.linear(x, ff.output_dense.weight, ff.output_dense.bias)


def layer_reference(layer, x, pre_ln, eps):
    if pre_ln:
        x = x + attention_reference(layer.attention, ln(layer.layer_norm, x, eps))
        return x + ffn_reference(layer.feed_forward, ln(layer.final_layer_norm, x, eps))
    x = ln(layer.layer_norm, x + attention_reference(layer.attention, x), eps)
    return ln(layer.final_layer_norm, x + ffn_reference(layer.feed_forward, x), eps)


def mert_positions_reference(conv, x):
    """GELU(trim-last(Conv1d(weight = g·v/‖v‖ per tap, pad K/2, groups)))."""
    v, g = conv.weight_v, conv.weight_g
    weight = g * v / v.pow(2).sum(dim=(0, 1), keepdim=True).sqrt()
    kernel = v.shape[-1]
    y = F.conv1d(x.transpose(1, 2), weight, conv.bias, padding=kernel // 2, groups=conv.groups)
    assert y.shape[-1] == x.shape[1] + 1  # an even kernel gives one frame too many
    return F.gelu(y[..., :-1]).transpose(1, 2)


def music2vec_positions_reference(positional, x):
    y = x.transpose(1, 2)
    for layer in positional.layers:
        y = F.conv1d(y, layer.conv.weight, layer.conv.bias, padding=layer.conv.weight.shape[-1] // 2,
                     groups=layer.conv.groups)
        y = F.gelu(F.layer_norm(y.transpose(1, 2), y.shape[1:2], eps=1e-5).transpose(1, 2))
    return y.transpose(1, 2)


def features_reference(model, wav):
    """The conv stack: group mode GroupNorm(C, C) on layer 0 only, layer mode channel LN after every conv."""
    config = model.config
    x = wav.unsqueeze(1)
    for i, layer in enumerate(model.feature_extractor.conv_layers):
        x = F.conv1d(x, layer.conv.weight, layer.conv.bias, stride=config.conv_stride[i])
        if config.feat_extract_norm == "layer":
            x = ln(layer.layer_norm, x.transpose(1, 2), 1e-5).transpose(1, 2)
        elif i == 0:
            mean = x.mean(dim=-1, keepdim=True)
            var = x.var(dim=-1, unbiased=False, keepdim=True)
            x = (x - mean) / torch.sqrt(var + 1e-5) * layer.layer_norm.weight[:, None] + layer.layer_norm.bias[:, None]
        x = F.gelu(x)
    return x


def hidden_states_reference(model, wav):
    config, eps = model.config, model.config.layer_norm_eps
    x = features_reference(model, normalize_per_clip(wav)).transpose(1, 2)
    projection = model.feature_projection
    x = F.linear(ln(projection.layer_norm, x, eps), projection.projection.weight, projection.projection.bias)
    encoder = model.encoder
    if config.architecture == "mert":
        x = x + mert_positions_reference(encoder.pos_conv_embed.conv, x)
    else:
        x = x + music2vec_positions_reference(encoder.pos_conv_embed, x)
    pre_ln = config.do_stable_layer_norm
    if not pre_ln:
        x = ln(encoder.layer_norm, x, eps)
    states = [x]
    for layer in encoder.layers:
        states.append(layer_reference(layer, states[-1], pre_ln, eps))
    if pre_ln:
        states[-1] = ln(encoder.layer_norm, states[-1], eps)
    return states


@pytest.mark.parametrize("name", ["mert-tiny", "mert-tiny-stable", "music2vec-tiny"])
def test_hidden_states_follow_the_spec(name):
    model = tiny(name, dtype=torch.float64)
    config = model.config
    wav = music_like(round(1.3 * config.sample_rate) + 77, config.sample_rate, batch=2, dtype=torch.float64)
    with torch.no_grad():
        states = model.get_hidden_states(wav)
        expected = hidden_states_reference(model, wav)
    frames = frame_count(wav.shape[-1], config)
    assert len(states) == config.num_hidden_layers + 1
    assert all(tuple(s.shape) == (2, frames, config.hidden_size) for s in states)
    for k, (actual, reference) in enumerate(zip(states, expected)):
        assert (actual - reference).abs().max() < 1e-10, k
    assert torch.equal(model(wav), states[-1])
    assert torch.allclose(model.embed(wav), states[config.embedding_layer].mean(dim=1))


def test_pre_ln_and_post_ln_index_hidden_states_differently():
    """Post-LN: every state has passed a LayerNorm. Pre-LN: [0] = x + pos and the inner states are the raw
    residual stream; only [L] is normalised (MODEL_SPEC §3.2). Seen with identity LN affine parameters."""
    wav = music_like(24000)
    for name, normalised in (("mert-tiny", [True, True, True]), ("mert-tiny-stable", [False, False, False, True])):
        torch.manual_seed(0)
        model = WaveformModel(get_waveform_config(name)).eval()
        with torch.no_grad():
            states = model.get_hidden_states(wav)
        assert len(states) == len(normalised)
        for k, state in enumerate(states):
            unit = torch.allclose(state.var(dim=-1, unbiased=False), torch.ones(state.shape[:2]), atol=1e-3)
            assert unit == normalised[k], (name, k)
    assert get_waveform_config("mert-v1-330m").do_stable_layer_norm
    assert not get_waveform_config("mert-v1-95m").do_stable_layer_norm


def test_output_lengths_follow_the_floor_formula():
    standard = get_waveform_config("mert-v1-95m")
    lengths = conv_output_lengths(120000, standard.conv_kernel, standard.conv_stride)
    assert lengths == [23999, 11999, 5999, 2999, 1499, 749, 374]
    assert frame_count(30 * 24000, standard) == 2249
    assert frame_count(400, standard) == 1 and frame_count(719, standard) == 1 and frame_count(720, standard) == 2
    assert frame_count(399, standard) == 0
    model = tiny("mert-tiny")
    assert model.config.conv_kernel == standard.conv_kernel and model.config.conv_stride == standard.conv_stride
    with torch.no_grad():
        for samples, frames in ((120000, 374), (400, 1), (719, 1), (720, 2), (24000 * 2 + 123, 150)):
            wav = music_like(samples)
            assert [o.shape[-1] for o in model.feature_extractor.layer_outputs(wav)][-1] == frames
            assert model.get_hidden_states(wav)[0].shape[1] == frames == frame_count(samples, model.config)
        outputs = model.feature_extractor.layer_outputs(music_like(120000))
        assert [o.shape[-1] for o in outputs] == lengths
        assert [o.shape[1] for o in outputs] == list(model.config.conv_dim)
    with pytest.raises(ValueError, match="399 samples"):
        model.get_hidden_states(torch.zeros(1, 399))


def test_group_norm_is_per_channel_over_time_and_per_example():
    model = tiny("mert-tiny", dtype=torch.float64)
    wav = music_like(12000, batch=2, dtype=torch.float64)
    wav[1] *= 0.1
    layer0 = model.feature_extractor.conv_layers[0]
    with torch.no_grad():
        conv = F.conv1d(wav.unsqueeze(1), layer0.conv.weight, stride=5)
        actual = model.feature_extractor.layer_outputs(wav)[0]
        one_by_one = torch.cat([model.feature_extractor.layer_outputs(wav[i:i + 1])[0] for i in range(2)])
    normalised = (conv - conv.mean(dim=-1, keepdim=True)) / torch.sqrt(conv.var(dim=-1, unbiased=False,
                                                                                keepdim=True) + 1e-5)
    expected = F.gelu(normalised * layer0.layer_norm.weight[:, None] + layer0.layer_norm.bias[:, None])
    assert (actual - expected).abs().max() < 1e-12
    assert (actual - one_by_one).abs().max() < 1e-12
    assert isinstance(layer0.layer_norm, nn.GroupNorm)
    assert layer0.layer_norm.num_groups == layer0.layer_norm.num_channels == 8
    assert all(layer.layer_norm is None for layer in model.feature_extractor.conv_layers[1:])


def test_mert_is_invariant_to_an_affine_map_of_the_input():
    """Conv layer 0 has no bias and GroupNorm removes each channel's mean and scale over time, so a·x + b
    changes nothing up to GroupNorm's eps (MODEL_SPEC §3.3) — even without the per-clip normalisation."""
    model = WaveformModel(get_waveform_config("mert-tiny").replace(normalization="none")).double().eval()
    wav = music_like(30000, dtype=torch.float64)
    group_norm = model.feature_extractor.conv_layers[0].layer_norm
    with torch.no_grad():
        reference = model.get_hidden_states(wav)
        # An offset is cancelled exactly (the conv has no bias, the norm subtracts each channel's mean) ...
        for x, y in zip(reference, model.get_hidden_states(wav - 0.3)):
            assert (x - y).abs().max() < 1e-10
        # ... a gain only through eps: for channel variances ~1e-3 the change is ~1 %, ...
        louder = model.get_hidden_states(3.0 * wav + 0.2)[-1]
        assert 1e-4 < (louder - reference[-1]).abs().max() < 0.02 * reference[-1].abs().max()
        # ... and none at all with eps = 0.
        group_norm.eps = 0.0
        reference = model.get_hidden_states(wav)
        for a, b in ((3.0, 0.2), (0.01, -0.1), (250.0, 1.0)):
            for k, (x, y) in enumerate(zip(reference, model.get_hidden_states(a * wav + b))):
                assert (x - y).abs().max() < 1e-9, (a, b, k)


def test_music2vec_needs_the_per_clip_normalisation():
    """Per-time-step LayerNorms do not cancel a DC offset (MODEL_SPEC §4); the per-clip normalisation does."""
    raw = WaveformModel(get_waveform_config("music2vec-tiny").replace(normalization="none")).double().eval()
    normalised = WaveformModel(get_waveform_config("music2vec-tiny")).double().eval()
    normalised.load_state_dict(raw.state_dict())
    wav = music_like(20000, 16000, dtype=torch.float64)
    with torch.no_grad():
        assert (raw(wav + 0.5) - raw(wav)).abs().max() > 1e-2
        assert (normalised(3.0 * wav + 0.5) - normalised(wav)).abs().max() < 1e-6


def test_per_clip_normalisation():
    wav = music_like(5000, batch=3) * torch.tensor([[1.0], [0.01], [7.0]]) + 0.3
    out = normalize_per_clip(wav)
    assert out.dtype == torch.float32
    x = wav.double()
    expected = (x - x.mean(dim=1, keepdim=True)) / torch.sqrt(x.var(dim=1, unbiased=False, keepdim=True) + 1e-7)
    assert torch.allclose(out.double(), expected, atol=1e-6)
    assert torch.allclose(out.double().mean(dim=1), torch.zeros(3, dtype=torch.float64), atol=1e-6)
    # Unit variance, except where the clip's own variance is not large against the 1e-7 floor (the quiet one).
    variance = x.var(dim=1, unbiased=False)
    assert variance[1] < 1e-5
    assert torch.allclose(out.double().var(dim=1, unbiased=False), variance / (variance + 1e-7), atol=1e-5)
    silence = normalize_per_clip(torch.zeros(1, 100))
    assert torch.equal(silence, torch.zeros(1, 100))


def test_weight_norm_equals_torchs():
    torch.manual_seed(3)
    conv = nn.utils.weight_norm(nn.Conv1d(32, 32, 16, padding=8, groups=4), name="weight", dim=2)
    with torch.no_grad():
        conv.weight_g.copy_(torch.rand(1, 1, 16) + 0.5)
        conv.weight_v.copy_(torch.randn(32, 8, 16))
    ours = WeightNormConv1d(32, 16, 4)
    ours.load_state_dict({"weight_g": conv.weight_g, "weight_v": conv.weight_v, "bias": conv.bias})
    x = torch.randn(2, 32, 50)
    with torch.no_grad():
        expected = conv(x)  # the forward pre-hook materialises conv.weight
        assert torch.allclose(ours.weight(), conv.weight, rtol=1e-6, atol=1e-7)
        assert torch.allclose(ours(x), expected, rtol=1e-5, atol=1e-6)
    # Like torch's, a fresh module's weight is its plain initial conv weight (g = ‖v‖).
    fresh = WeightNormConv1d(32, 16, 4)
    assert torch.allclose(fresh.weight(), fresh.weight_v, atol=1e-6)
    assert fresh.weight_g.shape == (1, 1, 16) and fresh.weight_v.shape == (32, 8, 16)


@pytest.mark.parametrize("name", ["mert-tiny", "mert-tiny-stable", "music2vec-tiny", "mert-v1-95m",
                                  "mert-v1-330m", "music2vec-v1"])
def test_state_dict_is_the_hf_inventory(name, monkeypatch):
    # Only names and shapes are compared, so skip the random initialisation of the full-size models.
    monkeypatch.setattr(nn.init, "kaiming_uniform_", lambda tensor, *args, **kwargs: tensor)
    monkeypatch.setattr(nn.init, "uniform_", lambda tensor, *args, **kwargs: tensor)
    config = get_waveform_config(name)
    model = WaveformModel(config)
    shapes = {n: list(t.shape) for n, t in model.state_dict().items()}
    required = csharp_required_tensors(build_manifest(config, "v", "0" * 64, 0, {})["config"])
    assert shapes == {**required, "masked_spec_embed": [config.hidden_size]}
    count = sum(p.numel() for p in model.parameters())
    # MODEL_SPEC §3.4: 95M ≈ 94.4 M, 330M ≈ 315 M (masked_spec_embed included; it is H parameters).
    expected = {"mert-v1-95m": (94.3e6, 94.5e6), "mert-v1-330m": (315.0e6, 315.9e6),
                "music2vec-v1": (93.0e6, 93.3e6)}.get(name)
    if expected:
        assert expected[0] < count < expected[1], count


def test_spec_values_of_the_full_size_configs():
    m95, m330, m2v = (get_waveform_config(n) for n in ("mert-v1-95m", "mert-v1-330m", "music2vec-v1"))
    assert (m95.hidden_size, m95.num_hidden_layers, m95.num_attention_heads, m95.intermediate_size) == (
        768, 12, 12, 3072)
    assert (m330.hidden_size, m330.num_hidden_layers, m330.num_attention_heads, m330.intermediate_size) == (
        1024, 24, 16, 4096)
    for config in (m95, m330, m2v):
        assert config.conv_dim == (512,) * 7 and config.conv_kernel == (10, 3, 3, 3, 3, 2, 2)
        assert config.conv_stride == (5, 2, 2, 2, 2, 2, 2) and config.conv_bias is False
        assert config.layer_norm_eps == 1e-5 and config.num_conv_pos_embedding_groups == 16
        assert config.normalization == "per_clip"
    assert m95.sample_rate == m330.sample_rate == 24000 and m2v.sample_rate == 16000
    assert m95.num_conv_pos_embeddings == m330.num_conv_pos_embeddings == 128
    assert (m2v.num_conv_pos_embeddings, m2v.conv_pos_kernel_size, m2v.feat_extract_norm) == (5, 19, "layer")
    assert m95.feat_extract_norm == m330.feat_extract_norm == "group"
    assert m95.window_seconds == m330.window_seconds == 5.0 and m2v.window_seconds == 30.0


def test_config_validation():
    with pytest.raises(ConfigError, match="feat_extract_norm"):
        get_waveform_config("mert-tiny").replace(feat_extract_norm="layer")
    with pytest.raises(ConfigError, match="conv_pos_kernel_size"):
        get_waveform_config("music2vec-tiny").replace(conv_pos_kernel_size=4)
    with pytest.raises(ConfigError, match="do_stable_layer_norm"):
        get_waveform_config("music2vec-tiny").replace(do_stable_layer_norm=True)
    with pytest.raises(ConfigError, match="same length"):
        get_waveform_config("mert-tiny").replace(conv_stride=(5, 2))
    with pytest.raises(ConfigError, match="unknown config"):
        get_waveform_config("mert-v2")
