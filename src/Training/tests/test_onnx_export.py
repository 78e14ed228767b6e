import warnings

import pytest

from musicsearch_training import onnx_export, package

try:
    import onnx
    ONNX_MISSING = None
except ImportError as error:
    onnx = None
    ONNX_MISSING = f"the onnx package cannot be imported ({error}); install Debian's python3-onnx"


@pytest.fixture(scope="module")
def tiny_package(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("onnx") / "package")
    package.export_random("tiny", 0, directory)
    return directory


def export(directory, output, all_hidden_states):
    with warnings.catch_warnings():
        # The tracer warns about the frontend's length check, which only guards against too-short input.
        warnings.simplefilter("ignore")
        return onnx_export.export_onnx(directory, output, all_hidden_states)


def dims(value_info):
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


@pytest.mark.parametrize("all_hidden_states", [False, True])
def test_export_passes_the_checker_with_dynamic_axes(tiny_package, tmp_path, all_hidden_states):
    if ONNX_MISSING:
        pytest.skip(ONNX_MISSING)
    output = str(tmp_path / "model.onnx")
    model, names = export(tiny_package, output, all_hidden_states)
    assert onnx_export.check_onnx(output)
    graph = onnx.load(output)
    assert graph.opset_import[0].version == 17
    assert [i.name for i in graph.graph.input] == ["waveform"]
    assert dims(graph.graph.input[0]) == ["batch", "samples"]
    assert [o.name for o in graph.graph.output] == names
    assert names == (["hidden.0", "hidden.1", "hidden.2"] if all_hidden_states else ["hidden"])
    assert all(dims(o) == ["batch", "tokens", model.config.hidden_size] for o in graph.graph.output)
    # The package's layer is 1 of 2: only layer 0's attention is needed, the rest is dropped from the graph.
    softmaxes = sum(node.op_type == "Softmax" for node in graph.graph.node)
    assert softmaxes == (2 if all_hidden_states else 1)


def test_cli(tiny_package, tmp_path, capsys):
    if ONNX_MISSING:
        pytest.skip(ONNX_MISSING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert onnx_export.main([tiny_package, str(tmp_path / "m.onnx")]) == 0
    assert "opset 17, outputs hidden; checked with onnx.checker" in capsys.readouterr().out
