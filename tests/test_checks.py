"""check_photo and the command line contract (python -m core.checks)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.checks import CLI_KEYS, PROBLEMS, check_photo
from tests import photoset as ps
from tests.photo_fixtures import hostile, photo_dir  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.checks", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_given_no_photo_when_run_then_usage_error_2():
    assert _run().returncode == 2
    assert _run("x.jpg", "--kind", "passport").returncode == 2


@pytest.mark.ocr
def test_given_good_and_bad_files_when_run_then_one_line_each_in_order(photo_dir, tmp_path):  # noqa: F811
    rng = np.random.default_rng(2)
    good = tmp_path / "good.jpg"
    good.write_bytes(ps.jpeg(ps.flat_scene(rng, ps.draw_licence(rng, 1500), 1600, 1200, "plain", 0.8, 1, 0.02)))
    small = tmp_path / "small.jpg"
    small.write_bytes(ps.jpeg(ps.scan_scene(ps.draw_id_card(rng, 800), 800, 600)))
    args = [str(good), str(photo_dir / "pdf_renamed.jpg"), str(tmp_path / "missing.jpg"),
            str(photo_dir / "truncated_jpeg.jpg"), str(photo_dir / "gif.jpg"), str(small)]
    proc = _run(*args, "--kind", "licence")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["path"] for r in rows] == args
    for r in rows:
        assert tuple(r) == CLI_KEYS
        assert set(r["problems"]) <= set(PROBLEMS)
        assert r["ok"] == (not r["problems"])
    assert rows[0]["format"] == "jpeg" and rows[0]["sharp"] is True and rows[0]["watermark"] == "none"
    assert rows[0]["ok"] is True, rows[0]
    assert rows[1]["problems"] == ["not_image"] and rows[1]["sharp"] is None
    assert rows[2]["problems"] == ["not_image"]
    assert rows[3]["problems"] == ["corrupt"]
    assert rows[4]["problems"] == ["unsupported_format"]
    assert "resolution_low" in rows[5]["problems"] and rows[5]["width"] == 800


def test_given_a_handheld_photo_without_a_person_then_no_face():
    rng = np.random.default_rng(13)
    arr = ps.flat_scene(rng, ps.draw_id_card(rng, 1000), 1600, 1200, "plain", 0.5, 2, 0.02)
    report = check_photo(ps.jpeg(arr), kind="handheld", ocr=False)
    assert "no_face" in report.problems
    assert report.face_found is False
    with_face = check_photo(ps.jpeg(ps.handheld_scene(rng, 1600, 1200)), kind="handheld", ocr=False)
    assert "no_face" not in with_face.problems


def test_given_a_report_then_record_keeps_the_evidence_and_json_the_contract():
    rng = np.random.default_rng(14)
    arr = ps.flat_scene(rng, ps.draw_licence(rng, 1500), 1600, 1200, "wood", 0.8, 25, 0.02)
    report = check_photo(ps.jpeg(arr), kind="licence", ocr=False)
    assert "not_flat" in report.problems
    record = report.to_record()
    json.dumps(record, ensure_ascii=False)
    assert record["phash"] and len(record["sha256"]) == 64 and record["outline"]["flat"] is False
    assert tuple(report.to_json_dict()) == CLI_KEYS
    assert report.watermark is None  # OCR skipped


@pytest.mark.ocr
def test_given_a_watermark_missing_words_then_the_record_names_them_but_the_contract_is_unchanged():
    rng = np.random.default_rng(16)
    arr = ps.flat_scene(rng, ps.draw_licence(rng, 1500), 1600, 1200, "plain", 0.8, 1, 0.02)
    text = ps.OFFICIAL.replace("各项", "")
    arr = ps.watermark(arr, text, mode="tiled", color=(128, 128, 128), opacity=0.45, angle=25, size=48, rng=rng)
    report = check_photo(ps.jpeg(arr), kind="licence")
    assert report.watermark == "wrong" and "watermark_wrong" in report.problems
    assert report.watermark_unread == "各项"
    assert report.to_record()["watermark_unread"] == "各项"
    assert tuple(report.to_json_dict()) == CLI_KEYS


def test_given_a_blurred_dark_photo_then_both_problems_listed_in_catalogue_order():
    rng = np.random.default_rng(15)
    arr = ps.flat_scene(rng, ps.draw_id_card(rng, 1200), 1600, 1200, "plain", 0.7, 1, 0.02)
    arr = ps.low_light(rng, ps.gaussian_blur(arr, 6), 0.12)
    report = check_photo(ps.jpeg(arr), ocr=False)
    assert report.problems == ["blurry", "too_dark"]
    assert report.sharp is False and report.ok is False
