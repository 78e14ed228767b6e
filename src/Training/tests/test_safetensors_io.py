import json
import struct

import pytest
import torch

from musicsearch_training import safetensors_io as st


def raw_file(tmp_path, header, data=b"", header_length=None):
    encoded = json.dumps(header).encode()
    path = tmp_path / "raw.safetensors"
    length = len(encoded) if header_length is None else header_length
    path.write_bytes(struct.pack("<Q", length) + encoded + data)
    return str(path)


def test_round_trip_preserves_every_dtype_bit_exactly(tmp_path):
    tensors = st.sample_tensors(seed=7)
    path = str(tmp_path / "sample.safetensors")
    st.save_file(tensors, path, metadata={"k": "v"})
    loaded, metadata = st.load_file(path)
    assert metadata == {"k": "v"}
    assert list(loaded) == list(tensors)
    for name, tensor in tensors.items():
        assert loaded[name].dtype == tensor.dtype, name
        assert loaded[name].shape == tensor.shape, name
        assert st.tensor_bytes(loaded[name]) == st.tensor_bytes(tensor), name


def test_writer_aligns_data_section_to_eight_bytes(tmp_path):
    path = tmp_path / "a.safetensors"
    st.save_file({"x": torch.ones(3)}, str(path))
    (header_length,) = struct.unpack("<Q", path.read_bytes()[:8])
    assert header_length % 8 == 0
    assert path.read_bytes()[8 + header_length:] == st.tensor_bytes(torch.ones(3))


def test_sample_contains_special_float_values():
    specials = st.sample_tensors(seed=0)["f32.specials"]
    assert torch.isnan(specials).any() and torch.isinf(specials).any()
    assert (torch.signbit(specials) & (specials == 0)).any(), "negative zero"


def test_digest_reports_torch_conversions(tmp_path):
    path = str(tmp_path / "d.safetensors")
    st.save_file({"h": torch.tensor([1.5, -2.25], dtype=torch.float16), "i": torch.tensor([1, 2])}, path)
    described = st.digest(path)["tensors"]
    assert described["h"]["dtype"] == "F16" and "f32_sha256" in described["h"]
    assert "f32_sha256" not in described["i"]


@pytest.mark.parametrize("content, message", [
    (b"", "truncated header"),
    (b"\x01\x02\x03", "truncated header"),
    (struct.pack("<Q", 0), "header length is 0"),
    (struct.pack("<Q", 1000) + b"{}", "points past the end"),
    (struct.pack("<Q", 5) + b"{nope", "not valid JSON"),
    (struct.pack("<Q", 2) + b"[]", "must be a JSON object"),
])
def test_malformed_prefix_is_rejected_with_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(st.SafeTensorsError, match=message):
        st.load_file(str(path))


@pytest.mark.parametrize("header, data, message", [
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
      "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, bytes(12), "overlap"),
    ({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
      "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}, bytes(12), "gap of 4 bytes"),
    ({"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, bytes(8), "needs 12 bytes"),
    ({"a": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}}, bytes(1), "unknown dtype"),
    ({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}, bytes(8), "truncated"),
    ({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, bytes(8), "4 bytes after the last tensor"),
    ({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, bytes(4), "non-negative integer"),
    ({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}, bytes(4), "end before they begin"),
    ({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4], "extra": 1}}, bytes(4), "unknown field"),
    ({"__metadata__": {"k": 1}}, b"", "object of strings"),
])
def test_malformed_header_is_rejected_with_a_clear_error(tmp_path, header, data, message):
    with pytest.raises(st.SafeTensorsError, match=message):
        st.load_file(raw_file(tmp_path, header, data))


def test_duplicate_tensor_names_are_rejected(tmp_path):
    text = b'{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}'
    path = tmp_path / "dup.safetensors"
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"\x00")
    with pytest.raises(st.SafeTensorsError, match="twice"):
        st.load_file(str(path))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(st.SafeTensorsError, match="not found"):
        st.load_file(str(tmp_path / "absent.safetensors"))


def test_failed_write_leaves_no_partial_file(tmp_path):
    path = tmp_path / "out.safetensors"
    with pytest.raises(TypeError):
        st.save_file({"c": torch.zeros(2, dtype=torch.complex64)}, str(path))
    assert list(tmp_path.iterdir()) == []


def test_command_line_copy_reproduces_the_file(tmp_path):
    source, copy = str(tmp_path / "s.safetensors"), str(tmp_path / "c.safetensors")
    assert st.main(["sample", source, "--seed", "5"]) == 0
    assert st.main(["copy", source, copy]) == 0
    assert open(source, "rb").read() == open(copy, "rb").read()


def test_command_line_reports_malformed_input(tmp_path, capsys):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"junk")
    assert st.main(["digest", str(bad)]) == 2
    assert "truncated header" in capsys.readouterr().err
