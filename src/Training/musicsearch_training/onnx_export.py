"""Exports a musicfm package's model to ONNX: waveform [B, N] in, hidden states out.

    python3 -m musicsearch_training.onnx_export PACKAGE_DIR OUT.onnx [--all-hidden-states]

The graph runs the whole model, the mel frontend included (frontend.py computes the STFT as a convolution with
a DFT basis, so no `aten::stft` is needed), at opset 17 with dynamic batch and sample axes. Its output
`hidden` is the package's embedding layer [B, T, hidden]; with --all-hidden-states the outputs are
`hidden.0` ... `hidden.L` instead. The graph is checked with onnx.checker when the onnx package is installed.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Tuple

import torch
from torch import nn

from .musicfm import MusicFM
from .package import load_package, read_manifest

OPSET = 17
INPUT_NAME = "waveform"


class HiddenStateGraph(nn.Module):
    """The traced function: one hidden state, or all of them. Layers past the chosen one are traced too and
    then dropped by the exporter's dead-code elimination, since no output depends on them."""

    def __init__(self, model: MusicFM, layer: int, all_hidden_states: bool):
        super().__init__()
        self.model = model
        self.layer = layer
        self.all_hidden_states = all_hidden_states

    def forward(self, wav: torch.Tensor):
        states = self.model.get_hidden_states(wav)
        return tuple(states) if self.all_hidden_states else states[self.layer]


def output_names(num_hidden_layers: int, all_hidden_states: bool) -> List[str]:
    return [f"hidden.{k}" for k in range(num_hidden_layers + 1)] if all_hidden_states else ["hidden"]


def export_onnx(package_dir: str, output: str, all_hidden_states: bool = False,
                example_seconds: float = 2.0) -> Tuple[MusicFM, List[str]]:
    """Writes the ONNX file; returns the package's model and the output names. The example input only fixes
    the trace; batch and sample count are dynamic in the graph."""
    manifest = read_manifest(package_dir)
    model = load_package(package_dir)
    graph = HiddenStateGraph(model, manifest["embedding"]["layer"], all_hidden_states).eval()
    names = output_names(model.config.num_hidden_layers, all_hidden_states)
    example = torch.randn(2, round(example_seconds * manifest["sample_rate"]),
                          generator=torch.Generator().manual_seed(0))
    dynamic_axes = {INPUT_NAME: {0: "batch", 1: "samples"}}
    dynamic_axes.update({name: {0: "batch", 1: "tokens"} for name in names})
    with torch.no_grad():
        torch.onnx.export(graph, (example,), output, opset_version=OPSET, input_names=[INPUT_NAME],
                          output_names=names, dynamic_axes=dynamic_axes, do_constant_folding=True)
    return model, names


def check_onnx(path: str) -> bool:
    """onnx.checker's full check (with shape inference); False when the onnx package is not installed."""
    try:
        import onnx
    except ImportError:
        return False
    onnx.checker.check_model(onnx.load(path), full_check=True)
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.onnx_export",
                                     description="Export a musicfm package to ONNX (opset 17).")
    parser.add_argument("package_dir")
    parser.add_argument("output")
    parser.add_argument("--all-hidden-states", action="store_true",
                        help="output every hidden state instead of the package's embedding layer")
    args = parser.parse_args(argv)
    try:
        _, names = export_onnx(args.package_dir, args.output, args.all_hidden_states)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    checked = "checked with onnx.checker" if check_onnx(args.output) else "not checked (onnx is not installed)"
    print(f"{args.output}: opset {OPSET}, outputs {', '.join(names)}; {checked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
