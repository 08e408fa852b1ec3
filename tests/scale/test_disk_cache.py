"""pineal.disk_cache: a table made in one process is read back bit for bit in the next; a damaged, misshapen
or unwritable entry means the table is made again, never a wrong or failed result."""

import numpy as np
import pytest

from pineal import disk_cache


def _maker(calls: list):
    def make():
        calls.append(1)
        return np.arange(6.0).reshape(2, 3) / 7.0
    return make


def test_made_once_then_read_back_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("PINEAL_CACHE_DIR", str(tmp_path))
    calls: list = []
    a = disk_cache.cached_array("t", (1, "x"), (2, 3), _maker(calls))
    b = disk_cache.cached_array("t", (1, "x"), (2, 3), _maker(calls))
    assert len(calls) == 1 and np.array_equal(a, b) and not b.flags.writeable
    assert len(list((tmp_path / "tables").glob("t-*.npy"))) == 1
    disk_cache.cached_array("t", (2, "x"), (2, 3), _maker(calls))  # another key: another table
    assert len(calls) == 2


@pytest.mark.parametrize("damage", [b"", b"not an npy file", None])
def test_damaged_or_misshapen_entry_is_made_again(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("PINEAL_CACHE_DIR", str(tmp_path))
    calls: list = []
    disk_cache.cached_array("t", (1,), (2, 3), _maker(calls))
    (path,) = (tmp_path / "tables").glob("t-*.npy")
    if damage is None:
        np.save(path, np.zeros(4))  # a valid file of the wrong shape
    else:
        path.write_bytes(damage)
    again = disk_cache.cached_array("t", (1,), (2, 3), _maker(calls))
    assert len(calls) == 2 and np.array_equal(again, np.arange(6.0).reshape(2, 3) / 7.0)


def test_off_and_unwritable_directory_still_give_the_table(tmp_path, monkeypatch):
    calls: list = []
    monkeypatch.setenv("PINEAL_CACHE_DIR", "off")
    disk_cache.cached_array("t", (1,), (2, 3), _maker(calls))
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("PINEAL_CACHE_DIR", str(blocker / "below"))  # mkdir fails: a file is in the way
    out = disk_cache.cached_array("t", (1,), (2, 3), _maker(calls))
    assert len(calls) == 2 and out.shape == (2, 3)


def test_cached_sobol_normals_equal_freshly_made_ones(tmp_path, monkeypatch):
    from pineal.models import pk

    monkeypatch.setenv("PINEAL_CACHE_DIR", "off")
    pk._sobol_normals.cache_clear()
    fresh = pk._sobol_normals(256, 1)
    monkeypatch.setenv("PINEAL_CACHE_DIR", str(tmp_path))
    for _ in range(2):  # made and stored, then read from disk
        pk._sobol_normals.cache_clear()
        assert np.array_equal(pk._sobol_normals(256, 1), fresh)
    assert len(list((tmp_path / "tables").glob("sobol-normals-*.npy"))) == 1
    pk._sobol_normals.cache_clear()
