"""The C# engine's model sources, for the tests that check that a Python mirror of them is still current. Not a
test module itself."""

import os

import pytest

TRAINING_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSHARP_MODELS = os.path.join(TRAINING_ROOT, "..", "Inference", "Models")


def assert_csharp_source_contains(file_names, fragments):
    """Each fragment appears in one of the named files of src/Inference/Models; skips the test when src/Inference
    is not next to src/Training."""
    paths = [os.path.join(CSHARP_MODELS, name) for name in file_names]
    if not os.path.isfile(paths[0]):
        pytest.skip("src/Inference is not next to src/Training")
    source = ""
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            source += handle.read()
    for fragment in fragments:
        assert fragment in source, fragment
