"""Input-independent arrays that are slow to make, kept in the user's cache directory across processes.

Only tables that depend on nothing but their key go here (today the scrambled-Sobol normals of
``pk.sample_subjects(quasi=True)``, whose first use imports ``scipy.stats``, ≈ 1 s of a ``pineal dose``). The key
names the versions of the libraries that made the table, so an upgrade makes a new entry; the file is written to a
temporary name and renamed, so a reader never sees half a file; a missing, unreadable or damaged entry, or no
writable cache directory, means the table is made as before. ``PINEAL_CACHE_DIR`` overrides the directory
(``platformdirs.user_cache_dir("pineal")``); ``PINEAL_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np


def cache_dir() -> Path | None:
    """The directory of pineal's cached tables (None: caching off)."""
    env = os.environ.get("PINEAL_CACHE_DIR")
    if env == "off":
        return None
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("pineal"))


def _path(name: str, key: tuple) -> Path | None:
    root = cache_dir()
    if root is None:
        return None
    digest = hashlib.sha256(repr((name, np.__version__, *key)).encode()).hexdigest()[:24]
    return root / "tables" / f"{name}-{digest}.npy"


def cached_array(name: str, key: tuple, shape: tuple[int, ...], make: Callable[[], np.ndarray]) -> np.ndarray:
    """``make()``, or the array it made in an earlier process for the same ``name`` and ``key`` (a tuple of
    plain values whose repr identifies the table, including the versions of what ``make`` uses); ``shape`` is
    the table's shape, a stored array of another shape is made again. Read-only."""
    path = _path(name, key)
    if path is not None:
        try:
            arr = np.load(path, allow_pickle=False)
            if arr.shape == tuple(shape) and arr.dtype == np.float64:
                arr.flags.writeable = False
                return arr
        except (OSError, ValueError, EOFError):  # absent or damaged: make it again
            pass
    arr = np.ascontiguousarray(make(), dtype=np.float64)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    np.save(fh, arr, allow_pickle=False)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:  # a read-only or full disk costs only the time to make the table next time
            pass
    arr.flags.writeable = False
    return arr
