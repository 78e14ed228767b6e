import json

import numpy as np

from musicsearch_training import faiss_bench


def write_unit_rows(path, rows, dims, seed):
    values = np.random.default_rng(seed).standard_normal((rows, dims), dtype=np.float32)
    values /= np.linalg.norm(values, axis=1, keepdims=True)
    values.tofile(path)
    return values


def test_faiss_bench_times_both_indexes_and_returns_exact_ids(tmp_path, capsys):
    base = write_unit_rows(tmp_path / "base.f32", 3000, 32, 1)
    queries = write_unit_rows(tmp_path / "queries.f32", 5, 32, 2)
    assert faiss_bench.main([str(tmp_path / "base.f32"), str(tmp_path / "queries.f32"), "--dims", "32", "--k", "4",
                             "--threads", "1", "2", "--repeats", "1", "--single-queries", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"] == 3000 and report["queries"] == 5 and report["engine"].startswith("faiss 1.")
    for name in ("flat", "sq8"):
        assert [run["threads"] for run in report[name]["runs"]] == [1, 2]
        assert all(run["single_seconds_per_query"] > 0 and run["batch_seconds"] > 0 for run in report[name]["runs"])
    exact = np.argsort(-(queries @ base.T), axis=1, kind="stable")[:, :4]
    assert report["flat"]["ids"] == exact.tolist()
    assert len(report["sq8"]["ids"]) == 5


def test_faiss_bench_rejects_a_file_that_is_not_whole_rows(tmp_path, capsys):
    (tmp_path / "base.f32").write_bytes(b"\0" * 10)
    write_unit_rows(tmp_path / "queries.f32", 1, 4, 0)
    assert faiss_bench.main([str(tmp_path / "base.f32"), str(tmp_path / "queries.f32"), "--dims", "4"]) == 2
    assert "not a whole" in capsys.readouterr().err
