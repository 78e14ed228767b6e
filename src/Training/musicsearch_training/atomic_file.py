"""Writing a file so that a crash leaves either the previous file or the complete new one, never a truncated
one: model weights and training checkpoints are read back long after they are written."""

from __future__ import annotations

import contextlib
import os
from typing import BinaryIO, Iterator


@contextlib.contextmanager
def atomic_write(path: str) -> Iterator[BinaryIO]:
    """A binary handle on a temporary file in `path`'s folder; when the block completes, the file is synced and
    renamed over `path`. If the block raises, the temporary file is removed and `path` is left as it was."""
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        with open(temporary, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
