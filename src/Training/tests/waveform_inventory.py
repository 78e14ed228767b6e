"""What the C# engine demands of a `mert` / `music2vec` package, written out independently of the Python model:
the tensor list of WaveformTransformerArchitecture.RequiredTensors and the rules of ModelManifest.Parse
(docs/model-package.md). Shared by the waveform tests; not a test module itself."""

import math
import os
import re

from musicsearch_training.package_format import file_sha256


def csharp_required_tensors(config):
    """Mirror of WaveformTransformerArchitecture.RequiredTensors (+ the Mert / Music2Vec positional convs),
    from model.json's `config` block."""
    required = {}
    h, ffn = config["hidden_size"], config["intermediate_size"]
    conv_dim = config["conv_dim"]
    for i, (channels, kernel) in enumerate(zip(conv_dim, config["conv_kernel"])):
        prefix = f"feature_extractor.conv_layers.{i}"
        required[f"{prefix}.conv.weight"] = [channels, 1 if i == 0 else conv_dim[i - 1], kernel]
        if config["conv_bias"]:
            required[f"{prefix}.conv.bias"] = [channels]
        if config["feat_extract_norm"] == "layer" or i == 0:
            required[f"{prefix}.layer_norm.weight"] = required[f"{prefix}.layer_norm.bias"] = [channels]
    features = conv_dim[-1]
    required["feature_projection.layer_norm.weight"] = required["feature_projection.layer_norm.bias"] = [features]
    required["feature_projection.projection.weight"] = [h, features]
    required["feature_projection.projection.bias"] = [h]
    groups = config["num_conv_pos_embedding_groups"]
    if config["feat_extract_norm"] == "group":
        k = config["num_conv_pos_embeddings"]
        required["encoder.pos_conv_embed.conv.weight_g"] = [1, 1, k]
        required["encoder.pos_conv_embed.conv.weight_v"] = [h, h // groups, k]
        required["encoder.pos_conv_embed.conv.bias"] = [h]
    else:
        for i in range(config["num_conv_pos_embeddings"]):
            required[f"encoder.pos_conv_embed.layers.{i}.conv.weight"] = [h, h // groups,
                                                                          config["conv_pos_kernel_size"]]
            required[f"encoder.pos_conv_embed.layers.{i}.conv.bias"] = [h]
    required["encoder.layer_norm.weight"] = required["encoder.layer_norm.bias"] = [h]
    for i in range(config["num_hidden_layers"]):
        layer = f"encoder.layers.{i}"
        for projection in ("q_proj", "k_proj", "v_proj", "out_proj"):
            required[f"{layer}.attention.{projection}.weight"] = [h, h]
            required[f"{layer}.attention.{projection}.bias"] = [h]
        required[f"{layer}.layer_norm.weight"] = required[f"{layer}.layer_norm.bias"] = [h]
        required[f"{layer}.feed_forward.intermediate_dense.weight"] = [ffn, h]
        required[f"{layer}.feed_forward.intermediate_dense.bias"] = [ffn]
        required[f"{layer}.feed_forward.output_dense.weight"] = [h, ffn]
        required[f"{layer}.feed_forward.output_dense.bias"] = [h]
        required[f"{layer}.final_layer_norm.weight"] = required[f"{layer}.final_layer_norm.bias"] = [h]
    return required


# Fragments of the C# source the mirror above depends on; a test checks they are still there.
CSHARP_FRAGMENTS = (
    '"feature_extractor.conv_layers.{i}"', "{prefix}.conv.weight", "i == 0 ? 1 : c.ConvDim[i - 1]",
    "if (c.ConvBias)", "{prefix}.conv.bias", 'c.FeatExtractNorm == "layer" || i == 0', "{prefix}.layer_norm",
    '"feature_projection.layer_norm", features', '"feature_projection.projection", h, features',
    '"encoder.layer_norm", h', '"encoder.layers.{i}"', '"q_proj", "k_proj", "v_proj", "out_proj"',
    '{layer}.attention.{projection}", h, h', '{layer}.layer_norm", h',
    '{layer}.feed_forward.intermediate_dense", c.IntermediateSize, h',
    '{layer}.feed_forward.output_dense", h, c.IntermediateSize', '{layer}.final_layer_norm", h',
    '"encoder.pos_conv_embed.conv.weight_g", [1, 1, k]',
    '"encoder.pos_conv_embed.conv.weight_v", [h, h / config.NumConvPosEmbeddingGroups, k]',
    '"encoder.pos_conv_embed.conv.bias", [h]',
    '$"encoder.pos_conv_embed.layers.{i}.conv.weight", [h, h / config.NumConvPosEmbeddingGroups, '
    'config.ConvPosKernelSize]',
    '$"encoder.pos_conv_embed.layers.{i}.conv.bias", [h]',
)


def check_manifest_rules(manifest, directory, architecture):
    """docs/model-package.md's rules for a mert / music2vec package, as the C# ModelManifest.Parse and
    WaveformTransformerArchitecture.ParseConfig apply them."""
    def integer(value, minimum=1, maximum=2 ** 31 - 1):
        return type(value) is int and minimum <= value <= maximum

    def number(value):
        return type(value) in (int, float) and math.isfinite(value)

    assert integer(manifest["format_version"]) and manifest["format_version"] <= 1
    assert manifest["architecture"] == architecture
    assert re.fullmatch(r"[A-Za-z0-9._-]+", manifest["version"])
    weights = manifest["weights"]
    assert os.path.basename(weights["file"]) == weights["file"]
    assert re.fullmatch(r"[0-9a-f]{64}", weights["sha256"])
    assert weights["sha256"] == file_sha256(os.path.join(directory, weights["file"]))
    assert integer(manifest["sample_rate"], 1000, 384000)
    assert manifest["frontend"]["type"] == "waveform"
    assert manifest["normalization"]["type"] in ("none", "global", "per_clip")
    config = manifest["config"]
    for field in ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                  "num_conv_pos_embeddings", "num_conv_pos_embedding_groups"):
        assert integer(config[field]), field
    assert config["hidden_size"] % config["num_attention_heads"] == 0
    assert config["hidden_size"] % config["num_conv_pos_embedding_groups"] == 0
    assert number(config["layer_norm_eps"]) and config["layer_norm_eps"] > 0
    lists = [config[field] for field in ("conv_dim", "conv_kernel", "conv_stride")]
    assert all(type(values) is list and values and all(integer(v) for v in values) for values in lists)
    assert len({len(values) for values in lists}) == 1
    assert type(config["conv_bias"]) is bool and type(config["do_stable_layer_norm"]) is bool
    assert config["feat_extract_norm"] == ("group" if architecture == "mert" else "layer")
    if architecture == "music2vec":
        assert integer(config["conv_pos_kernel_size"]) and config["conv_pos_kernel_size"] % 2 == 1
        assert config["do_stable_layer_norm"] is False
    embedding = manifest["embedding"]
    assert integer(embedding["layer"], 0, config["num_hidden_layers"]) and embedding["pooling"] == "mean"
    for field in ("window_seconds", "hop_seconds", "min_window_seconds"):
        assert number(embedding[field]) and embedding[field] > 0, field
    assert embedding["min_window_seconds"] <= embedding["window_seconds"]
    assert all(type(k) is str and type(v) is str for k, v in manifest.get("provenance", {}).items())
