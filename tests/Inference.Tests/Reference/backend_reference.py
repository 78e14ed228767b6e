"""Reference cases for the C# backend ops (tests/Inference.Tests/Backends), computed with PyTorch.

Usage: backend_reference.py OUT.safetensors  (PYTHONPATH must reach musicsearch_training.safetensors_io)

Every case is a set of tensors named "<case>.<tensor>" plus a metadata entry "<case>" holding its parameters
as JSON ("op" says which op). Inputs and weights are seeded fp32 values; the expected outputs are computed in
float64 from exactly those fp32 values, so a comparison measures the C# kernels' own fp32 error rather than
torch's (whose fp32 GELU, for one, uses an erf approximation with 1.5e-7 absolute error). Shapes cover the
model's layers in miniature and the edge cases: sizes that are not multiples of 8, T = 1, odd lengths,
strides, asymmetric padding, groups, inputs shorter than the kernel, large logits.
"""

from __future__ import annotations

import json
import math
import sys
from collections import OrderedDict

import torch
import torch.nn.functional as F

from musicsearch_training.safetensors_io import save_file

TENSORS: "OrderedDict[str, torch.Tensor]" = OrderedDict()
METADATA = {}
GENERATOR = torch.Generator().manual_seed(20261121)


def randn(*shape, scale=1.0):
    return (torch.randn(*shape, generator=GENERATOR, dtype=torch.float64) * scale).float()


def rand(*shape, low=0.0, high=1.0):
    return (torch.rand(*shape, generator=GENERATOR, dtype=torch.float64) * (high - low) + low).float()


def d(t):
    return t.double()


def case(name, op, tensors, **params):
    METADATA[name] = json.dumps({"op": op, **params})
    for key, value in tensors.items():
        TENSORS[f"{name}.{key}"] = value.detach().contiguous()


def activate(x, activation):
    return {"none": lambda v: v, "relu": F.relu, "silu": F.silu, "gelu": F.gelu}[activation](x)


def linear_cases():
    specs = [
        ("linear/plain", (5,), 7, 3, False, "none", None, 1.0),
        ("linear/bias_relu", (13,), 33, 17, True, "relu", None, 1.0),
        ("linear/silu_t1", (1,), 64, 96, True, "silu", None, 1.0),
        ("linear/gelu", (37,), 100, 70, True, "gelu", None, 1.0),
        ("linear/residual_half", (2, 5), 48, 40, True, "none", "separate", 0.5),
        ("linear/residual_in_place", (3, 11), 24, 24, True, "none", "in_place", 0.5),
        ("linear/residual_relu", (9,), 24, 16, True, "relu", "separate", 1.0),
        ("linear/ffn_shape", (50,), 256, 1024, True, "silu", None, 1.0),
    ]
    for name, leading, k, n, bias, activation, residual, scale in specs:
        x = randn(*leading, k)
        w = randn(n, k, scale=1 / math.sqrt(k))
        tensors = {"input": x, "weight": w}
        y = d(x) @ d(w).t()
        if bias:
            tensors["bias"] = randn(n, scale=0.5)
            y = y + d(tensors["bias"])
        y = scale * y
        if residual:
            tensors["residual"] = randn(*leading, n)
            y = y + d(tensors["residual"])
        tensors["expected"] = activate(y, activation)
        case(name, "linear", tensors, activation=activation, residual=residual or "none", scale=scale)


def conv2d_cases():
    specs = [
        ("conv2d/first_c1_s2_relu", (2, 1, 16, 19), 8, (2, 2), "relu", False),
        ("conv2d/residual_s1", (1, 5, 9, 11), 6, (1, 1), "relu", True),
        ("conv2d/odd_s2", (2, 3, 7, 8), 4, (2, 2), "none", False),
        ("conv2d/one_pixel", (1, 4, 1, 1), 3, (1, 1), "none", False),
        ("conv2d/stride_2_1", (1, 3, 10, 9), 5, (2, 1), "none", False),
        # Enough input channels for the CPU backend's Winograd (stride 1) and im2col (stride 2) paths.
        ("conv2d/winograd_residual", (2, 16, 13, 22), 12, (1, 1), "relu", True),
        ("conv2d/wide_s2", (1, 16, 11, 14), 8, (2, 2), "none", False),
    ]
    for name, shape, out_channels, stride, activation, residual in specs:
        x = randn(*shape)
        w = randn(out_channels, shape[1], 3, 3, scale=1 / math.sqrt(9 * shape[1]))
        b = randn(out_channels, scale=0.3)
        y = F.conv2d(d(x), d(w), d(b), stride=stride, padding=1)
        tensors = {"input": x, "weight": w, "bias": b}
        if residual:
            tensors["residual"] = randn(*y.shape)
            y = y + d(tensors["residual"])
        tensors["expected"] = activate(y, activation)
        case(name, "conv2d", tensors, stride=list(stride), padding=1, kernel=3, activation=activation)

    x = randn(2, 6, 5, 7)
    w = randn(4, 6, 1, 1)
    case("conv2d/pointwise", "conv2d", {"input": x, "weight": w, "expected": F.conv2d(d(x), d(w))},
         stride=[1, 1], padding=0, kernel=1, activation="none")


def batch_norm(prefix, channels):
    return {f"{prefix}.weight": rand(channels, low=0.5, high=1.5),
            f"{prefix}.bias": randn(channels, scale=0.2),
            f"{prefix}.running_mean": randn(channels, scale=0.3),
            f"{prefix}.running_var": rand(channels, low=0.3, high=2.0)}


def apply_bn(x, tensors, prefix):
    return F.batch_norm(x, d(tensors[f"{prefix}.running_mean"]), d(tensors[f"{prefix}.running_var"]),
                        d(tensors[f"{prefix}.weight"]), d(tensors[f"{prefix}.bias"]), training=False,
                        eps=1e-5)


def res2d_cases():
    """MusicFM's Res2dModule in eval mode, from checkpoint-style parameters (BatchNorm unfolded)."""
    # The second block is wide enough for the CPU backend's Winograd conv2.
    for name, channels, height, width in (("res2d/block", 6, 12, 21), ("res2d/wide", 16, 20, 37)):
        in_channels = 1
        x = randn(1, in_channels, height, width)
        tensors = {"input": x}
        for conv, c_in in (("conv1", in_channels), ("conv2", channels), ("conv3", in_channels)):
            tensors[f"{conv}.weight"] = randn(channels, c_in, 3, 3, scale=1 / math.sqrt(9 * c_in))
            tensors[f"{conv}.bias"] = randn(channels, scale=0.2)
        for bn in ("bn1", "bn2", "bn3"):
            tensors.update(batch_norm(bn, channels))

        def conv(name, v, stride):
            return F.conv2d(v, d(tensors[f"{name}.weight"]), d(tensors[f"{name}.bias"]), stride=stride, padding=1)

        main = F.relu(apply_bn(conv("conv1", d(x), 2), tensors, "bn1"))
        main = apply_bn(conv("conv2", main, 1), tensors, "bn2")
        shortcut = apply_bn(conv("conv3", d(x), 2), tensors, "bn3")
        tensors["expected"] = F.relu(main + shortcut)
        case(name, "res2d", tensors, stride=2)


def conv1d_cases():
    def add(name, x, w, b=None, stride=1, padding=(0, 0), groups=1, activation="none", residual=False,
            expected=None, extra=None):
        tensors = {"input": x, "weight": w}
        if b is not None:
            tensors["bias"] = b
        if expected is None:
            padded = F.pad(d(x), padding)
            expected = F.conv1d(padded, d(w), None if b is None else d(b), stride=stride, groups=groups)
            if residual:
                tensors["residual"] = randn(*expected.shape)
                expected = expected + d(tensors["residual"])
            expected = activate(expected, activation)
        tensors["expected"] = expected
        tensors.update(extra or {})
        case(name, "conv1d", tensors, stride=stride, padding=list(padding), groups=groups,
             activation=activation, kernel=w.shape[-1])

    # Conformer depthwise conv + BatchNorm + SiLU (BN folded on the C# side).
    channels = 24
    x, w = randn(2, channels, 50), randn(channels, 1, 31, scale=0.2)
    bn = batch_norm("bn", channels)
    expected = F.silu(apply_bn(F.conv1d(d(x), d(w), padding=15, groups=channels), bn, "bn"))
    add("conv1d/depthwise_k31_bn_silu", x, w, padding=(15, 15), groups=channels, activation="silu",
        expected=expected, extra=bn)
    add("conv1d/depthwise_t1", randn(1, 16, 1), randn(16, 1, 31, scale=0.2), padding=(15, 15), groups=16)
    add("conv1d/depthwise_stride2", randn(1, 8, 21), randn(8, 1, 5), randn(8), stride=2, padding=(2, 2),
        groups=8, activation="relu")

    # MERT positional conv: weight norm over (out, in/groups) per tap, k128, groups 16, padding 64, last frame
    # trimmed (= padding 64/63), GELU. The input is shorter than the kernel.
    g, v = rand(1, 1, 128, low=0.5, high=2.0), randn(32, 2, 128)
    weight = torch._weight_norm(d(v), d(g), dim=2)
    b = randn(32, scale=0.2)
    x = randn(1, 32, 40)
    expected = F.gelu(F.conv1d(d(x), weight, d(b), padding=64, groups=16)[..., :-1])
    add("conv1d/mert_positional", x, v, b, padding=(64, 63), groups=16, activation="gelu", expected=expected,
        extra={"weight_g": g})

    add("conv1d/music2vec_positional", randn(2, 32, 23), randn(32, 2, 19, scale=0.2), randn(32),
        padding=(9, 9), groups=16)
    add("conv1d/feature_layer0", randn(1, 1, 1003), randn(16, 1, 10), stride=5)
    add("conv1d/k3_s2_gelu", randn(2, 16, 101), randn(16, 16, 3, scale=0.25), stride=2, activation="gelu")
    add("conv1d/k2_s2", randn(1, 16, 50), randn(12, 16, 2, scale=0.25), stride=2)
    add("conv1d/pointwise", randn(2, 20, 17), randn(36, 20, 1, scale=0.2))
    add("conv1d/residual_relu", randn(1, 6, 30), randn(6, 6, 5, scale=0.2), randn(6), padding=(2, 2),
        activation="relu", residual=True)


def norm_cases():
    def layer_norm(name, x, affine):
        tensors = {"input": x}
        width = x.shape[-1]
        gamma = beta = None
        if affine:
            gamma, beta = rand(width, low=0.5, high=1.5), randn(width, scale=0.2)
            tensors.update(gamma=gamma, beta=beta)
        tensors["expected"] = F.layer_norm(d(x), (width,), None if gamma is None else d(gamma),
                                           None if beta is None else d(beta), eps=1e-5)
        case(name, "layer_norm", tensors, epsilon=1e-5)

    layer_norm("layer_norm/affine", randn(3, 7, 33), True)
    layer_norm("layer_norm/plain", randn(5, 64), False)
    layer_norm("layer_norm/offset", randn(4, 1024) + 1000.0, True)
    layer_norm("layer_norm/t1", randn(1, 1, 10), True)

    for name, shape, affine in (("layer_norm_channels/affine", (2, 13, 37), True),
                                ("layer_norm_channels/plain", (2, 64, 70), False),
                                ("layer_norm_channels/t1", (1, 512, 1), True)):
        x = randn(*shape)
        tensors = {"input": x}
        gamma = beta = None
        if affine:
            gamma, beta = rand(shape[1], low=0.5, high=1.5), randn(shape[1], scale=0.2)
            tensors.update(gamma=gamma, beta=beta)
        y = F.layer_norm(d(x).transpose(1, 2), (shape[1],), None if gamma is None else d(gamma),
                         None if beta is None else d(beta), eps=1e-5).transpose(1, 2)
        tensors["expected"] = y
        case(name, "layer_norm_channels", tensors, epsilon=1e-5)

    for name, shape, groups, affine in (("group_norm/per_channel", (2, 12, 50), 12, True),
                                        ("group_norm/three_groups", (2, 12, 50), 3, True),
                                        ("group_norm/long", (1, 8, 20000), 8, True),
                                        ("group_norm/rank4_plain", (1, 6, 4, 5), 2, False)):
        x = randn(*shape) * 3 + 0.5
        tensors = {"input": x}
        gamma = beta = None
        if affine:
            gamma, beta = rand(shape[1], low=0.5, high=1.5), randn(shape[1], scale=0.2)
            tensors.update(gamma=gamma, beta=beta)
        tensors["expected"] = F.group_norm(d(x), groups, None if gamma is None else d(gamma),
                                           None if beta is None else d(beta), eps=1e-5)
        case(name, "group_norm", tensors, groups=groups, epsilon=1e-5)


def elementwise_cases():
    specials = torch.tensor([0.0, -0.0, 30.0, -30.0, 100.0, -100.0, 1e-20, -1e-20, 5.5, -5.5, 8.0, -8.0,
                             0.7071, -0.7071, 1.4142, -1.4142])
    x = torch.cat([randn(3000, scale=3.0), specials]).float()
    x = x[: 3 * 1001 + 7].reshape(1, -1)
    for activation in ("relu", "silu", "gelu"):
        case(f"activation/{activation}", "activation", {"input": x, "expected": activate(d(x), activation)},
             activation=activation)

    # erf against float64 torch.erf on fp32 inputs: a dense grid, the region boundaries, tiny values.
    boundaries = torch.tensor([1.0, -1.0, 4.0, -4.0, 0.99999994, 1.0000001])
    grid = torch.cat([torch.linspace(-6, 6, 240001), boundaries, torch.logspace(-37, 0, 2000),
                      -torch.logspace(-37, 0, 2000)]).float()
    TENSORS["erf.input"] = grid
    TENSORS["erf.expected"] = torch.erf(d(grid))
    METADATA["erf"] = json.dumps({"op": "erf"})

    for name, shape, axis in (("glu/axis1", (3, 10, 7), 1), ("glu/last", (4, 12), -1),
                              ("glu/wide", (1, 128, 600), 1)):
        x = randn(*shape)
        case(name, "glu", {"input": x, "expected": F.glu(d(x), dim=axis)}, axis=axis)

    for name, shape, scale in (("add/scaled", (5, 37), 0.5), ("add/wide", (300, 128), 1.0)):
        a, b = randn(*shape), randn(*shape)
        case(name, "add", {"input": a, "other": b, "expected": d(a) + scale * d(b)}, scale=scale)

    for name, shape in (("transpose/3d", (2, 5, 7)), ("transpose/t1", (3, 1, 9)),
                        ("transpose/tiles", (1, 70, 33)), ("transpose/2d", (40, 3)),
                        ("transpose/4d", (2, 3, 35, 4)), ("transpose/parallel", (2, 300, 77))):
        x = randn(*shape)
        case(name, "transpose", {"input": x, "expected": x.transpose(-1, -2)})

    x = randn(2, 3, 4, 5)
    case("flatten/res2d", "flatten", {"input": x, "expected": x.permute(0, 3, 1, 2).reshape(2, 5, 12)})

    x = randn(2, 7, 5)
    case("mean_over_time/small", "mean_over_time", {"input": x, "expected": d(x).mean(dim=1)})

    for name, x in (("softmax/large_logits", randn(4, 37, scale=1e4)),
                    ("softmax/equal_large", torch.full((2, 9), 3e4)),
                    ("softmax/wide", randn(50, 1000, scale=5.0))):
        case(name, "softmax", {"input": x, "expected": torch.softmax(d(x), dim=-1)})


def hf_rotary_tables(length, dim, base):
    """Wav2Vec2ConformerRotaryPositionalEmbedding, fp32 as HF computes it."""
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
    time_stamps = torch.arange(length).type_as(inv_freq)
    freqs = torch.einsum("i,j->ij", time_stamps, inv_freq)
    embeddings = torch.cat((freqs, freqs), dim=-1)
    return embeddings.cos(), embeddings.sin()


def hf_apply_rotary(hidden, cos, sin, head_size):
    """Wav2Vec2ConformerSelfAttention._apply_rotary_qk_embedding's arithmetic, in the tensor's dtype."""
    batch, length, width = hidden.shape
    hidden = hidden.view(batch, length, width // head_size, head_size).transpose(0, 1)
    cos, sin = cos[:length, None, None, :], sin[:length, None, None, :]
    begin, end = hidden[..., : head_size // 2], hidden[..., head_size // 2:]
    rotated = torch.cat((-end, begin), dim=-1)
    hidden = hidden * cos + rotated * sin
    return hidden.transpose(0, 1).reshape(batch, length, width)


def rotary_cases():
    cos, sin = hf_rotary_tables(1000, 64, 10000.0)
    TENSORS["rotary_tables.cos"], TENSORS["rotary_tables.sin"] = cos, sin
    METADATA["rotary_tables"] = json.dumps({"op": "rotary_tables", "positions": 1000, "head_dim": 64,
                                            "base": 10000.0})
    for name, shape in (("rotary/two_heads", (2, 11, 128)), ("rotary/long", (1, 750, 64)),
                        ("rotary/t1", (1, 1, 192))):
        x = randn(*shape)
        expected = hf_apply_rotary(d(x), d(cos), d(sin), 64)
        case(name, "rotary", {"input": x, "expected": expected}, head_dim=64, base=10000.0)


def attention_cases():
    for name, shape, heads, scale in (("attention/small", (2, 9, 32), 4, 1.0),
                                      ("attention/t1", (1, 1, 64), 1, 1.0),
                                      ("attention/d64", (1, 50, 128), 2, 1.0),
                                      ("attention/large_logits", (1, 20, 64), 1, 30.0)):
        q, k, v = randn(*shape, scale=scale), randn(*shape, scale=scale), randn(*shape)
        batch, length, width = shape
        head = width // heads

        def split(t):
            return d(t).view(batch, length, heads, head).transpose(1, 2)

        scores = split(q) @ split(k).transpose(-1, -2) / math.sqrt(head)
        expected = (torch.softmax(scores, dim=-1) @ split(v)).transpose(1, 2).reshape(batch, length, width)
        case(name, "attention", {"query": q, "key": k, "value": v, "expected": expected}, heads=heads)


def main() -> None:
    linear_cases()
    conv2d_cases()
    res2d_cases()
    conv1d_cases()
    norm_cases()
    elementwise_cases()
    rotary_cases()
    attention_cases()
    save_file(TENSORS, sys.argv[1], metadata=METADATA)


if __name__ == "__main__":
    main()
