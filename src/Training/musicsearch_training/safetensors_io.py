"""A small, dependency-free reader and writer for the safetensors format.

The `safetensors` package is not available here, and model packages must be read and written
bit-exactly by both this project and the C# engine, so the format is implemented directly:
8-byte little-endian header length, a JSON header, then the tensors' raw little-endian bytes.
The reader is as strict as the C# one: every data byte belongs to exactly one tensor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mmap
import os
import struct
import sys
from collections import OrderedDict
from typing import Dict, Mapping, Optional, Tuple

import numpy as np
import torch

from .atomic_file import atomic_write

# The format is little-endian; numpy's native byte order is used directly, so refuse a big-endian host.
if sys.byteorder != "little":
    raise ImportError("safetensors_io supports little-endian hosts only")

MAX_HEADER_BYTES = 100_000_000
METADATA_KEY = "__metadata__"

# dtype name -> (torch dtype, element size). bf16 has no numpy type, so bytes go through int16.
DTYPES: Dict[str, Tuple[torch.dtype, int]] = {
    "F64": (torch.float64, 8),
    "F32": (torch.float32, 4),
    "F16": (torch.float16, 2),
    "BF16": (torch.bfloat16, 2),
    "I64": (torch.int64, 8),
    "I32": (torch.int32, 4),
    "I16": (torch.int16, 2),
    "I8": (torch.int8, 1),
    "U8": (torch.uint8, 1),
    "BOOL": (torch.bool, 1),
}
_NAME_OF = {torch_dtype: name for name, (torch_dtype, _) in DTYPES.items()}


class SafeTensorsError(ValueError):
    """The file is not a well-formed safetensors file; the message names the file and the problem."""


def tensor_bytes(tensor: torch.Tensor) -> bytes:
    """The raw little-endian bytes of a tensor, in C order."""
    tensor = tensor.detach().cpu().contiguous()
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.view(torch.int16)
    elif tensor.dtype == torch.bool:
        tensor = tensor.view(torch.uint8)
    return tensor.numpy().tobytes()


def _tensor_from_bytes(data: bytes, dtype_name: str, shape) -> torch.Tensor:
    torch_dtype, _ = DTYPES[dtype_name]
    if torch_dtype == torch.bfloat16:
        array = np.frombuffer(data, dtype="<i2")
        return torch.from_numpy(array.copy()).view(torch.bfloat16).reshape(shape)
    if torch_dtype == torch.bool:
        array = np.frombuffer(data, dtype=np.uint8)
        return torch.from_numpy(array.copy()).to(torch.bool).reshape(shape)
    array = np.frombuffer(data, dtype=torch.empty(0, dtype=torch_dtype).numpy().dtype)
    return torch.from_numpy(array.copy()).reshape(shape)


def save_file(tensors: Mapping[str, torch.Tensor], path: str, metadata: Optional[Mapping[str, str]] = None) -> None:
    """Writes tensors in the given order, header padded with spaces to 8 bytes, atomically (temp file + rename)."""
    header: "OrderedDict[str, object]" = OrderedDict()
    if metadata:
        for key, value in metadata.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError(f"metadata must map strings to strings, got {key!r}: {value!r}")
        header[METADATA_KEY] = dict(metadata)
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        if name == METADATA_KEY:
            raise ValueError(f"'{METADATA_KEY}' is reserved for the header's metadata")
        if tensor.dtype not in _NAME_OF:
            raise TypeError(f"tensor '{name}': dtype {tensor.dtype} cannot be stored in safetensors here")
        blob = tensor_bytes(tensor)
        header[name] = {"dtype": _NAME_OF[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)

    with atomic_write(path) as handle:
        handle.write(struct.pack("<Q", len(encoded)))
        handle.write(encoded)
        for blob in blobs:
            handle.write(blob)


def _reject_duplicates(pairs):
    result = OrderedDict()
    for key, value in pairs:
        if key in result:
            raise SafeTensorsError(f"header names '{key}' twice")
        result[key] = value
    return result


def _non_negative_ints(value, field: str, where: str, count: Optional[int] = None):
    if not isinstance(value, list):
        raise SafeTensorsError(f"{where}: '{field}' is missing or not an array")
    if count is not None and len(value) != count:
        raise SafeTensorsError(f"{where}: '{field}' must have {count} entries, found {len(value)}")
    for index, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, int) or item < 0:
            raise SafeTensorsError(f"{where}: '{field}[{index}]' must be a non-negative integer, found {item!r}")
    return value


def read_header(buffer, source: str):
    """Parses and validates the header of a safetensors image; returns (tensor entries, metadata, data start)."""
    size = len(buffer)
    if size < 8:
        raise SafeTensorsError(f"{source}: truncated header: the file has {size} bytes, "
                               "but a safetensors file starts with an 8-byte header length")
    (header_length,) = struct.unpack("<Q", buffer[:8])
    if header_length == 0:
        raise SafeTensorsError(f"{source}: header length is 0")
    if header_length > size - 8:
        raise SafeTensorsError(f"{source}: header length {header_length} points past the end of the file ({size} bytes)")
    if header_length > MAX_HEADER_BYTES:
        raise SafeTensorsError(f"{source}: header length {header_length} exceeds the format's limit")
    try:
        text = bytes(buffer[8:8 + header_length]).decode("utf-8")
        header = json.loads(text, object_pairs_hook=_reject_duplicates)
    except SafeTensorsError as error:
        raise SafeTensorsError(f"{source}: {error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SafeTensorsError(f"{source}: header is not valid JSON: {error}") from None
    if not isinstance(header, dict):
        raise SafeTensorsError(f"{source}: header must be a JSON object")

    data_start = 8 + header_length
    data_length = size - data_start
    metadata = header.pop(METADATA_KEY, {}) or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise SafeTensorsError(f"{source}: '{METADATA_KEY}' must be an object of strings")

    entries = OrderedDict()
    for name, entry in header.items():
        where = f"{source}: tensor '{name}'"
        if not isinstance(entry, dict):
            raise SafeTensorsError(f"{where}: entry must be an object")
        unknown = set(entry) - {"dtype", "shape", "data_offsets"}
        if unknown:
            raise SafeTensorsError(f"{where}: unknown field '{sorted(unknown)[0]}'")
        dtype = entry.get("dtype")
        if dtype not in DTYPES:
            raise SafeTensorsError(f"{where}: unknown dtype {dtype!r}")
        shape = _non_negative_ints(entry.get("shape"), "shape", where)
        begin, end = _non_negative_ints(entry.get("data_offsets"), "data_offsets", where, count=2)
        if end < begin:
            raise SafeTensorsError(f"{where}: data_offsets [{begin}, {end}] end before they begin")
        expected = int(np.prod(shape, dtype=np.int64)) * DTYPES[dtype][1] if shape else DTYPES[dtype][1]
        if expected != end - begin:
            raise SafeTensorsError(f"{where}: shape {shape} of {dtype} needs {expected} bytes "
                                   f"but data_offsets [{begin}, {end}] span {end - begin}")
        entries[name] = (dtype, shape, begin, end)

    cursor, previous = 0, None
    for name, (_, _, begin, end) in sorted(entries.items(), key=lambda item: (item[1][2], item[1][3])):
        if end > data_length:
            raise SafeTensorsError(f"{source}: tensor '{name}': data_offsets end at {end}, "
                                   f"past the end of the data section ({data_length} bytes); the file is truncated")
        if begin < cursor:
            raise SafeTensorsError(f"{source}: tensors '{previous}' and '{name}' overlap at byte {begin}")
        if begin > cursor:
            raise SafeTensorsError(f"{source}: gap of {begin - cursor} bytes before '{name}'")
        cursor, previous = end, name
    if cursor != data_length:
        raise SafeTensorsError(f"{source}: {data_length - cursor} bytes after the last tensor belong to no tensor")
    return entries, dict(metadata), data_start


def load_file(path: str) -> Tuple["OrderedDict[str, torch.Tensor]", Dict[str, str]]:
    """Reads every tensor (copied out of a read-only mapping) and the metadata."""
    if not os.path.isfile(path):
        raise SafeTensorsError(f"{path}: file not found")
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            read_header(b"", path)
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            entries, metadata, data_start = read_header(mapped, path)
            tensors = OrderedDict()
            for name, (dtype, shape, begin, end) in entries.items():
                tensors[name] = _tensor_from_bytes(mapped[data_start + begin:data_start + end], dtype, shape)
    return tensors, metadata


def digest(path: str) -> dict:
    """A description of every tensor as this reader sees it: raw-byte hash, and for float tensors the hash of
    torch's fp32 conversion and of torch's f16/bf16 rounding of it. The C# tests compare their own view with it."""
    tensors, metadata = load_file(path)
    described = OrderedDict()
    for name, tensor in tensors.items():
        entry = {"dtype": _NAME_OF[tensor.dtype], "shape": list(tensor.shape),
                 "sha256": hashlib.sha256(tensor_bytes(tensor)).hexdigest()}
        if tensor.is_floating_point():
            as_f32 = tensor.to(torch.float32)
            entry["f32_sha256"] = hashlib.sha256(tensor_bytes(as_f32)).hexdigest()
            entry["as_f16_sha256"] = hashlib.sha256(tensor_bytes(as_f32.to(torch.float16))).hexdigest()
            entry["as_bf16_sha256"] = hashlib.sha256(tensor_bytes(as_f32.to(torch.bfloat16))).hexdigest()
        described[name] = entry
    return {"metadata": metadata, "tensors": described}


def sample_tensors(seed: int) -> "OrderedDict[str, torch.Tensor]":
    """Deterministic tensors of every dtype, including the float values conversions get wrong
    (signed zeros, infinities, NaN, subnormals, values that round differently in f16/bf16)."""
    generator = torch.Generator().manual_seed(seed)
    specials = torch.tensor([0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1e-40, -1e-42,
                             65504.0, 65520.0, 1.0 + 2 ** -8, 1.0 + 3 * 2 ** -9, 3.4e38], dtype=torch.float32)
    floats = torch.cat([specials, torch.randn(500, generator=generator) * 10.0])
    return OrderedDict([
        ("f32.matrix", torch.randn(7, 13, generator=generator)),
        ("f32.specials", floats),
        ("f64.vector", torch.randn(5, generator=generator, dtype=torch.float64)),
        ("f16.tensor", (torch.randn(3, 4, 5, generator=generator) * 100).to(torch.float16)),
        ("bf16.tensor", (torch.randn(6, 9, generator=generator) * 1e3).to(torch.bfloat16)),
        ("i64.scalar", torch.tensor(123456789012345, dtype=torch.int64)),
        ("i32.vector", torch.randint(-2 ** 31, 2 ** 31 - 1, (11,), generator=generator, dtype=torch.int32)),
        ("i16.vector", torch.randint(-2 ** 15, 2 ** 15 - 1, (4,), generator=generator, dtype=torch.int16)),
        ("i8.vector", torch.randint(-128, 127, (9,), generator=generator, dtype=torch.int8)),
        ("u8.vector", torch.randint(0, 255, (10,), generator=generator, dtype=torch.uint8)),
        ("bool.vector", torch.randint(0, 2, (8,), generator=generator).to(torch.bool)),
        ("empty", torch.zeros(0, 3)),
    ])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m musicsearch_training.safetensors_io",
                                     description="Inspect, sample and copy safetensors files.")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("digest", help="print a JSON description of every tensor")
    command.add_argument("path")
    command = commands.add_parser("sample", help="write deterministic tensors of every dtype")
    command.add_argument("path")
    command.add_argument("--seed", type=int, default=0)
    command = commands.add_parser("copy", help="read a file and write it again with this writer")
    command.add_argument("source")
    command.add_argument("destination")
    args = parser.parse_args(argv)
    try:
        if args.command == "digest":
            json.dump(digest(args.path), sys.stdout, indent=1)
            print()
        elif args.command == "sample":
            save_file(sample_tensors(args.seed), args.path, metadata={"seed": str(args.seed), "writer": "python"})
        else:
            tensors, metadata = load_file(args.source)
            save_file(tensors, args.destination, metadata=metadata)
    except SafeTensorsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
