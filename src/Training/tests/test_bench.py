import json

from musicsearch_training import bench, package


def test_bench_reports_throughput_and_cost(tmp_path, capsys):
    package.export_random("tiny", 0, str(tmp_path / "pkg"))
    assert bench.main([str(tmp_path / "pkg"), "--seconds", "2", "--repeats", "2", "--threads", "1"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["threads"] == 1 and report["batch"] == 1
    assert report["windows_per_second_best"] >= report["windows_per_second_median"] > 0
    assert report["multiply_adds_per_window"] > 0
    assert report["blas"].startswith("BLAS_INFO=")


def test_bench_rejects_nonsense_arguments(tmp_path, capsys):
    assert bench.main([str(tmp_path), "--batch", "0"]) == 2
    assert "must be positive" in capsys.readouterr().err
