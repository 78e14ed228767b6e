import math

import pytest
import torch
import torch.nn.functional as F

from musicsearch_training.configs import ConfigError, MusicFMConfig, get_config
from musicsearch_training.musicfm import MusicFM, token_count
from musicsearch_training.package import randomize_normalization_layers


def checkpoint_shapes(hidden, layers, heads, ffn, conv_dim, kernel, n_mels, n_fft, codebook_size,
                      codebook_dim, pos_kernel, pos_groups):
    """MusicFM's state-dict inventory after stripping `model.`, written out from MODEL_SPEC §1.6 and §2.6."""
    shapes = {
        f"preprocessor_melspec_{n_fft}.mel_stft.spectrogram.window": [n_fft],
        f"preprocessor_melspec_{n_fft}.mel_stft.mel_scale.fb": [n_fft // 2 + 1, n_mels],
        f"quantizer_melspec_{n_fft}_0.random_projection": [4 * n_mels, codebook_dim],
        f"quantizer_melspec_{n_fft}_0.codebook": [codebook_size, codebook_dim],
        "conv.linear.weight": [hidden, conv_dim * math.ceil(n_mels / 4)],
        "conv.linear.bias": [hidden],
        "conformer.embed_positions.inv_freq": [hidden // heads // 2],
        "conformer.pos_conv_embed.conv.weight_g": [1, 1, pos_kernel],
        "conformer.pos_conv_embed.conv.weight_v": [hidden, hidden // pos_groups, pos_kernel],
        "conformer.pos_conv_embed.conv.bias": [hidden],
        "conformer.layer_norm.weight": [hidden],
        "conformer.layer_norm.bias": [hidden],
        "linear.weight": [codebook_size, hidden],
        "linear.bias": [codebook_size],
        "cls_token": [hidden],
    }
    for block, in_channels in ((0, 1), (1, conv_dim)):
        p = f"conv.conv.{block}"
        shapes.update({f"{p}.conv1.weight": [conv_dim, in_channels, 3, 3], f"{p}.conv1.bias": [conv_dim],
                       f"{p}.conv2.weight": [conv_dim, conv_dim, 3, 3], f"{p}.conv2.bias": [conv_dim],
                       f"{p}.conv3.weight": [conv_dim, in_channels, 3, 3], f"{p}.conv3.bias": [conv_dim]})
        for bn in ("bn1", "bn2", "bn3"):
            for part in ("weight", "bias", "running_mean", "running_var"):
                shapes[f"{p}.{bn}.{part}"] = [conv_dim]
            shapes[f"{p}.{bn}.num_batches_tracked"] = []
    for i in range(layers):
        p = f"conformer.layers.{i}"
        for norm in ("ffn1_layer_norm", "self_attn_layer_norm", "conv_module.layer_norm", "ffn2_layer_norm",
                     "final_layer_norm"):
            shapes.update({f"{p}.{norm}.weight": [hidden], f"{p}.{norm}.bias": [hidden]})
        for ff in ("ffn1", "ffn2"):
            shapes.update({f"{p}.{ff}.intermediate_dense.weight": [ffn, hidden],
                           f"{p}.{ff}.intermediate_dense.bias": [ffn],
                           f"{p}.{ff}.output_dense.weight": [hidden, ffn],
                           f"{p}.{ff}.output_dense.bias": [hidden]})
        for projection in ("linear_q", "linear_k", "linear_v", "linear_out"):
            shapes.update({f"{p}.self_attn.{projection}.weight": [hidden, hidden],
                           f"{p}.self_attn.{projection}.bias": [hidden]})
        shapes.update({
            f"{p}.conv_module.pointwise_conv1.weight": [2 * hidden, hidden, 1],
            f"{p}.conv_module.depthwise_conv.weight": [hidden, 1, kernel],
            f"{p}.conv_module.pointwise_conv2.weight": [hidden, hidden, 1],
            f"{p}.conv_module.batch_norm.num_batches_tracked": [],
        })
        shapes.update({f"{p}.conv_module.batch_norm.{part}": [hidden]
                       for part in ("weight", "bias", "running_mean", "running_var")})
    return shapes


def state_shapes(model):
    return {name: list(tensor.shape) for name, tensor in model.state_dict().items()}


TINY_SHAPES = dict(hidden=32, layers=2, heads=2, ffn=64, conv_dim=8, kernel=5, n_mels=32, n_fft=512,
                   codebook_size=64, codebook_dim=8, pos_kernel=16, pos_groups=16)


@pytest.fixture(scope="module")
def tiny():
    torch.manual_seed(0)
    model = MusicFM(get_config("tiny"))
    randomize_normalization_layers(model, torch.Generator().manual_seed(1))
    return model.eval()


def music_like(samples, batch=1, seed=0):
    generator = torch.Generator().manual_seed(seed)
    t = torch.arange(samples) / 24000
    tone = sum(torch.sin(2 * math.pi * f * t) for f in (220.0, 330.0, 440.0)) / 6
    return tone + 0.05 * torch.randn(batch, samples, generator=generator)


def test_330m_state_dict_matches_musicfm_inventory(monkeypatch):
    # Only names and shapes are compared, so skip the random initialisation of ~330 M parameters.
    monkeypatch.setattr(torch.nn.init, "kaiming_uniform_", lambda tensor, *args, **kwargs: tensor)
    monkeypatch.setattr(torch.nn.init, "uniform_", lambda tensor, *args, **kwargs: tensor)
    model = MusicFM(get_config("musicfm-330m"))
    expected = checkpoint_shapes(hidden=1024, layers=12, heads=16, ffn=4096, conv_dim=512, kernel=31,
                                 n_mels=128, n_fft=2048, codebook_size=4096, codebook_dim=16, pos_kernel=128,
                                 pos_groups=16)
    actual = state_shapes(model)
    assert sorted(actual) == sorted(expected)
    assert actual == expected
    # Spot checks of numbers MODEL_SPEC states literally.
    assert actual["conv.linear.weight"] == [1024, 16384]
    assert actual["quantizer_melspec_2048_0.random_projection"] == [512, 16]
    assert actual["conformer.embed_positions.inv_freq"] == [32]
    assert len(actual) == 34 * 12 + 57
    assert 328e6 < sum(p.numel() for p in model.parameters()) < 330e6


def test_tiny_loads_a_musicfm_named_state_dict_strictly(tiny):
    assert state_shapes(tiny) == checkpoint_shapes(**TINY_SHAPES)
    generator = torch.Generator().manual_seed(5)
    state = {name: (torch.tensor(7) if not shape else torch.randn(shape, generator=generator))
             for name, shape in checkpoint_shapes(**TINY_SHAPES).items()}
    model = MusicFM(get_config("tiny"))
    model.load_state_dict(state, strict=True)
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, state[name]), name


@pytest.mark.parametrize("samples", [257, 959, 960, 961, 12345, 24000, 72240, 175237])
def test_token_count(tiny, samples):
    expected = math.ceil(math.ceil((samples // 240) / 2) / 2)
    assert token_count(samples, 240) == expected
    with torch.no_grad():
        assert tiny.mel(torch.randn(1, samples)).shape[-1] == samples // 240
        states = tiny.get_hidden_states(torch.randn(1, samples))
    assert [tuple(s.shape) for s in states] == [(1, expected, 32)] * 3


def rope(x, heads, base):
    """x' = x·cos θ_p + rot(x)·sin θ_p on every head-sized chunk, θ_p = p·base^(−2j/d) twice,
    rot(x) = [−x₂, x₁]."""
    d = x.shape[-1] // heads
    inv_freq = torch.tensor([base ** (-2 * j / d) for j in range(d // 2)], dtype=torch.float32).to(x.dtype)
    theta = torch.arange(x.shape[1], dtype=x.dtype)[:, None] * torch.cat([inv_freq, inv_freq])[None, :]
    rotated = torch.empty_like(x)
    for c in range(heads):
        chunk = x[..., c * d:(c + 1) * d]
        rotate_half = torch.cat([-chunk[..., d // 2:], chunk[..., :d // 2]], dim=-1)
        rotated[..., c * d:(c + 1) * d] = chunk * theta.cos() + rotate_half * theta.sin()
    return rotated


def rotary_attention_reference(attention, x, base, textbook=False):
    """MODEL_SPEC §2.3 written out: RoPE on the input, the rotated input into Q and K, the plain one into V.
    With textbook=True, Q and K are rotated after the projections instead (what MusicFM does not do)."""
    heads, d = attention.num_heads, attention.head_dim
    if textbook:
        q = rope(F.linear(x, attention.linear_q.weight, attention.linear_q.bias), heads, base)
        k = rope(F.linear(x, attention.linear_k.weight, attention.linear_k.bias), heads, base)
    else:
        rotated = rope(x, heads, base)
        q = F.linear(rotated, attention.linear_q.weight, attention.linear_q.bias)
        k = F.linear(rotated, attention.linear_k.weight, attention.linear_k.bias)
    v = F.linear(x, attention.linear_v.weight, attention.linear_v.bias)
    out = torch.empty_like(x)
    for h in range(heads):
        part = slice(h * d, (h + 1) * d)
        weights = torch.softmax(q[..., part] @ k[..., part].transpose(1, 2) / math.sqrt(d), dim=-1)
        out[..., part] = weights @ v[..., part]
    return F.linear(out, attention.linear_out.weight, attention.linear_out.bias)


def layer_reference(layer, x, base, eps):
    """One Conformer layer per MODEL_SPEC §2.2 and §2.5 (eval mode)."""
    def ln(module, y):
        return F.layer_norm(y, y.shape[-1:], module.weight, module.bias, eps)

    def ffn(module, y):
        return F.linear(F.silu(F.linear(y, module.intermediate_dense.weight, module.intermediate_dense.bias)),
                        module.output_dense.weight, module.output_dense.bias)

    x = x + 0.5 * ffn(layer.ffn1, ln(layer.ffn1_layer_norm, x))
    x = x + rotary_attention_reference(layer.self_attn, ln(layer.self_attn_layer_norm, x), base)
    conv = layer.conv_module
    y = ln(conv.layer_norm, x).transpose(1, 2)
    y = torch.einsum("oi,bit->bot", conv.pointwise_conv1.weight[..., 0], y)
    y = y[:, :y.shape[1] // 2] * torch.sigmoid(y[:, y.shape[1] // 2:])
    kernel = conv.depthwise_conv.weight.shape[-1]
    y = F.conv1d(y, conv.depthwise_conv.weight, padding=kernel // 2, groups=y.shape[1])
    bn = conv.batch_norm
    y = (y - bn.running_mean[:, None]) / torch.sqrt(bn.running_var[:, None] + bn.eps)
    y = y * bn.weight[:, None] + bn.bias[:, None]
    y = torch.einsum("oi,bit->bot", conv.pointwise_conv2.weight[..., 0], F.silu(y))
    x = x + y.transpose(1, 2)
    x = x + 0.5 * ffn(layer.ffn2, ln(layer.ffn2_layer_norm, x))
    return ln(layer.final_layer_norm, x)


def test_rotary_is_applied_to_the_input_before_q_and_k(tiny):
    model = MusicFM(get_config("tiny")).double().eval()
    attention = model.conformer.layers[0].self_attn
    x = torch.randn(2, 40, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    rotary = model.conformer.embed_positions(x)
    with torch.no_grad():
        actual = attention(x, rotary)
        expected = rotary_attention_reference(attention, x, 10000.0)
        # float64 throughout; what is left is inv_freq's float32 rounding (computed differently here and
        # there).
        assert (actual - expected).abs().max() < 1e-7
        # Textbook RoPE (rotating q and k after the projections) gives something else: the test can tell them
        # apart.
        textbook = rotary_attention_reference(attention, x, 10000.0, textbook=True)
        assert (actual - textbook).abs().max() > 1e-3


def test_conformer_layer_follows_the_spec(tiny):
    model = MusicFM(get_config("tiny"))
    randomize_normalization_layers(model, torch.Generator().manual_seed(3))
    model = model.double().eval()
    layer = model.conformer.layers[1]
    x = torch.randn(1, 25, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        actual = layer(x, model.conformer.embed_positions(x))
        assert (actual - layer_reference(layer, x, 10000.0, 1e-5)).abs().max() < 1e-7


def test_hidden_state_indexing(tiny):
    wav = music_like(24000 * 2)
    with torch.no_grad():
        states = tiny.get_hidden_states(wav)
        conv = tiny.conv(tiny.frontend(wav))
        rotary = tiny.conformer.embed_positions(conv)
        layer1 = tiny.conformer.layers[0](conv, rotary)
        layer2 = tiny.conformer.layers[1](layer1, rotary)
    assert len(states) == 3
    assert torch.equal(states[0], conv)
    assert torch.equal(states[1], layer1)
    assert torch.equal(states[2], tiny.conformer.layer_norm(layer2))
    assert not torch.allclose(states[2], layer2)
    assert torch.equal(tiny.get_latent(wav, 1), states[1])
    assert torch.equal(tiny.embed(wav, 2), states[2].mean(dim=1))
    assert torch.equal(tiny.embed(wav), states[tiny.config.embedding_layer].mean(dim=1))
    assert torch.equal(tiny(wav), tiny.linear(states[2]))
    with pytest.raises(ValueError, match="layer"):
        tiny.get_latent(wav, 3)


def test_conv_subsampling_flattens_channel_major(tiny):
    mel = torch.randn(1, 32, 40, generator=torch.Generator().manual_seed(6))
    with torch.no_grad():
        maps = tiny.conv.conv(mel.unsqueeze(1))  # [1, C=8, F'=8, T'=10]
        expected = torch.stack([tiny.conv.linear(torch.cat([maps[0, c, :, t] for c in range(8)]))
                                for t in range(maps.shape[-1])])
        assert maps.shape == (1, 8, 8, 10)
        assert torch.allclose(tiny.conv(mel)[0], expected, atol=1e-6)


def test_shortcut_convolutions_and_dropouts_are_present():
    config = get_config("musicfm-330m").replace(num_hidden_layers=1, hidden_size=64, num_attention_heads=4,
                                                intermediate_size=32, conv_dim=4, embedding_layer=1)
    model = MusicFM(config)
    assert model.conv.conv[0].has_shortcut_conv and model.conv.conv[1].has_shortcut_conv
    dropouts = [m.p for m in model.modules() if isinstance(m, torch.nn.Dropout)]
    assert len(dropouts) == 1 + 7 and set(dropouts) == {0.1}


def test_eval_mode_is_deterministic_and_training_mode_is_not(tiny):
    wav = music_like(24000)
    with torch.no_grad():
        assert torch.equal(tiny(wav), tiny(wav))
        tiny.train()
        try:
            assert not torch.equal(tiny(wav), tiny(wav))
        finally:
            tiny.eval()


@pytest.mark.parametrize("changes,message", [
    (dict(hidden_size=30, num_attention_heads=4), "divisible"),
    (dict(conv_depthwise_kernel_size=4), "odd"),
    (dict(hidden_size=48, num_attention_heads=16), "even"),
    (dict(f_max=13000.0), "f_max"),
    (dict(mask_seconds=0.41), "whole multiple"),
    (dict(num_hidden_layers=0), "num_hidden_layers"),
    (dict(embedding_layer=13), "embedding_layer"),
])
def test_invalid_configs_are_clear_errors(changes, message):
    with pytest.raises(ConfigError, match=message):
        get_config("musicfm-330m").replace(**changes)


def test_unknown_config_name_lists_the_known_ones():
    with pytest.raises(ConfigError, match="unknown config 'huge'.*musicfm-330m, small, tiny"):
        get_config("huge")


def test_named_configs():
    big, small, tiny_config = get_config("musicfm-330m"), get_config("small"), get_config("tiny")
    assert (big.hidden_size, big.num_hidden_layers, big.num_attention_heads) == (1024, 12, 16)
    assert (big.intermediate_size, big.conv_dim, big.conv_depthwise_kernel_size) == (4096, 512, 31)
    assert (big.codebook_size, big.codebook_dim, big.layer_norm_eps, big.rotary_embedding_base) == (
        4096, 16, 1e-5, 10000.0)
    assert (big.n_mels, big.n_fft, big.hop_length, big.sample_rate) == (128, 2048, 240, 24000)
    assert big.max_frequency == 12000.0 and big.hidden_dropout == big.attention_dropout == 0.1
    assert big.mask_block_samples == 9600 and big.mask_block_tokens == 10
    assert small.hop_length == tiny_config.hop_length == 240 and tiny_config.mask_block_tokens == 10
    assert isinstance(big, MusicFMConfig)
