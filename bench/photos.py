"""Photo-check timings: python bench/photos.py [--n N]. Prints figures; asserts nothing.

For 12-megapixel phone JPEGs (4000 x 3000) and 2-megapixel scans (1600 x 1200): decode alone
(full-size ``load_photo``, and the DCT-scaled analysis decode the checks use), the non-OCR checks,
the OCR, and the whole ``check_photo``, per photo (median and p90); peak memory (VmHWM, which
includes onnxruntime's native allocations); and the ratio total / decode. Also the reuse check's
second look: one candidate's thumbnail and its picture-to-picture comparison (``core.reuse``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import quality, reuse, synthetic, watermark  # noqa: E402
from core.checks import ANALYSIS_SIDE, check_photo  # noqa: E402
from core.photos import load_photo  # noqa: E402
from tests import photoset as ps  # noqa: E402


def vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1000


def photos(kind: str, n: int) -> list[bytes]:
    rng = np.random.default_rng(99)
    out = []
    for i in range(n):
        if kind == "phone":
            w, h = 4000, 3000
            arr = ps.flat_scene(rng, ps.draw_licence(rng, 2800) if i % 2 else ps.draw_id_card(rng, 2600),
                                w, h, "wood" if i % 3 else "plain", 0.7, 2, 0.03)
            arr = ps.gaussian_blur(arr, 1.2)
        else:
            arr = ps.scan_scene(ps.draw_licence(rng, 1600) if i % 2 else ps.draw_id_card(rng, 1500), 1600, 1200)
        if i % 2 == 0:
            arr = ps.watermark(arr, watermark.OFFICIAL, mode="tiled", color=ps.COLORS["grey"], opacity=0.4,
                               angle=30, size=int(min(arr.shape[:2]) * 0.035), rng=rng)
        out.append(ps.jpeg(arr, 90))
    return out


def bench(kind: str, n: int) -> None:
    data = photos(kind, n)
    full, fast, checks, ocr, total = [], [], [], [], []
    for d in data:
        t = time.perf_counter()
        load_photo(d)
        full.append(time.perf_counter() - t)
        t = time.perf_counter()
        p = load_photo(d, max_side=ANALYSIS_SIDE)
        fast.append(time.perf_counter() - t)
        rgb = quality.resize_long(np.asarray(p.image), ANALYSIS_SIDE)
        t = time.perf_counter()
        check_photo(d, kind="licence", ocr=False)
        checks.append(time.perf_counter() - t - fast[-1])  # the checks alone, decode excluded
        t = time.perf_counter()
        watermark.check_watermark(rgb)
        ocr.append(time.perf_counter() - t)
        t = time.perf_counter()
        check_photo(d, kind="licence")
        total.append(time.perf_counter() - t)
    med = statistics.median
    print(f"\n{kind}: {n} photos, {len(data[0]) / 1e6:.1f}-{max(map(len, data)) / 1e6:.1f} MB JPEG")
    print(f"  {'ms per photo':32s} {'median':>8s} {'p90':>8s}")
    for name, v in (("decode, full size", full), ("decode, analysis (draft)", fast),
                    ("non-OCR checks (no decode)", checks), ("OCR + watermark verdict", ocr),
                    ("check_photo total", total)):
        print(f"  {name:32s} {pct(v, 50):8.0f} {pct(v, 90):8.0f}")
    print(f"  non-OCR checks / full decode     {med(checks) / med(full):8.2f}")
    print(f"  non-OCR checks / analysis decode {med(checks) / med(fast):8.2f}")
    print(f"  total / full decode              {med(total) / med(full):8.2f}")
    print(f"  total / analysis decode          {med(total) / med(fast):8.2f}")


def bench_reuse(n: int) -> None:
    """Confirming one reuse candidate: another person's ID scan of the same layout (the usual
    candidate, rejected) and a smaller recompressed copy (confirmed)."""
    rng = np.random.default_rng(7)
    arrays = [synthetic.scan_scene(synthetic.draw_id_card(rng, 1100), 1600, 1100) for _ in range(n + 1)]
    scans = [ps.jpeg(a) for a in arrays]
    copies = [ps.jpeg(np.ascontiguousarray(a[::2, ::2]), 60) for a in arrays]  # half size, recompressed
    mine = reuse.thumbnail(scans[0])
    thumb, other, copy = [], [], []
    for data, smaller in zip(scans[1:], copies[1:]):
        t0 = time.perf_counter()
        theirs = reuse.thumbnail(data)
        t1 = time.perf_counter()
        reuse.same_picture(mine, theirs)
        t2 = time.perf_counter()
        reuse.same_picture(reuse.thumbnail(smaller), theirs)
        t3 = time.perf_counter()
        thumb.append(t1 - t0)
        other.append(t2 - t1)
        copy.append(t3 - t2)
    print(f"\nreuse, one candidate (2 MP ID scans, {n}):")
    print(f"  {'ms':32s} {'median':>8s} {'p90':>8s}")
    for name, v in (("thumbnail (decode + resize)", thumb), ("compare: another person's", other),
                    ("thumbnail + compare: a copy", copy)):
        print(f"  {name:32s} {pct(v, 50):8.0f} {pct(v, 90):8.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10)
    args = ap.parse_args()
    watermark.engine()  # load the models outside the timings
    check_photo(ps.jpeg(np.full((1200, 1600, 3), 200, np.uint8)))
    print(f"peak memory after warm-up: {vm_hwm_mb():.0f} MB (VmHWM)")
    bench("phone", args.n)
    bench("scan", args.n)
    bench_reuse(args.n)
    print(f"\npeak memory (VmHWM, whole run): {vm_hwm_mb():.0f} MB")


if __name__ == "__main__":
    main()
