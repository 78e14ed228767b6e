import torch
from torch import nn

from musicsearch_training.configs import get_config
from musicsearch_training.cost import multiply_adds
from musicsearch_training.musicfm import MusicFM


def counted_multiply_adds(model, wav):
    """Multiply-adds of every Linear and Conv module, counted from the shapes seen during a forward pass."""
    total = {"value": 0}

    def hook(module, inputs, output):
        if isinstance(module, nn.Linear):
            total["value"] += output.numel() * module.in_features
        else:
            per_output = module.weight[0].numel()  # in_channels / groups × kernel
            total["value"] += output.numel() * per_output

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d))]
    with torch.no_grad():
        states = model.get_hidden_states(wav)
    for handle in handles:
        handle.remove()
    return total["value"], states[0].shape[1]


def test_analytic_count_matches_the_modules():
    config = get_config("tiny")
    model = MusicFM(config).eval()
    seconds = 2.0
    counted, tokens = counted_multiply_adds(model, torch.randn(1, int(seconds * 24000)))
    cost = multiply_adds(config, seconds)
    attention_products = config.num_hidden_layers * 2 * tokens * tokens * config.hidden_size
    assert cost["subsampling"] + cost["encoder"] == counted + attention_products
    frames = int(seconds * 24000) // 240 + 1
    assert cost["frontend"] == frames * (2 * 257 * 512 + 257 * 32)
    assert cost["head"] == tokens * 32 * 64
    assert cost["inference"] == cost["frontend"] + cost["subsampling"] + cost["encoder"]


def test_330m_costs_about_650_gigamacs_per_window():
    cost = multiply_adds(get_config("musicfm-330m"))
    assert 0.6e12 < cost["inference"] < 0.7e12
    # The 512-channel Res2d stack at full mel resolution (MODEL_SPEC §1.3) outweighs the whole encoder.
    assert cost["subsampling"] > cost["encoder"]
