"""Watermark accuracy on the generated set: python bench/watermark.py SEED [SEED ...]. Prints
figures; asserts nothing.

Each seed gives ``--n`` photos from ``tests/photoset.watermark_set``: no watermark, the official
phrase, or a wrong one, tiled or one big line, grey / red / blue, on every ground. ``--subtle``
stamps only wrong ones a character or a few away from the phrase, ``--lookalike`` only look-alike
swaps. Each photo is checked by ``core.checks.check_photo``, exactly as an upload is. Only
overlays a person can see count (``legible``: the set's contrast measure); the others are counted
apart.

Printed: accuracy per seed; per class (none, wrong, the phrase tiled, the phrase as one line);
every wrong watermark judged ``exact`` (the worst error); by what lies under the document (a wood
or cloth desk, or not); and, for the official phrase, by whether every one of its characters has
a copy lying wholly on plain paper (``photoset.on_paper``), not over print, a QR code, an emblem
or a desk. ``--misses`` lists each wrong verdict with its reason; ``--json`` keeps every result.

``--colours`` and ``--font`` stamp overlays the checker was not tuned on (other colours, another
font or weight), to see how it does on the variety real photos bring:
``--colours black=25,25,25 orange=235,130,20 --font NotoSansCJKtc-Bold.otf``.
"""

from __future__ import annotations

import argparse
import json
import sys
from multiprocessing import Pool
from pathlib import Path
from typing import Any, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.checks import check_photo  # noqa: E402
from tests import photoset as ps  # noqa: E402

DESKS = ("wood", "cloth")
ON_PAPER = 0.8  # a character "lies on paper" when one copy has this share of its strokes there


Photo = tuple[str, bytes, str | None, str | None, dict[str, Any]]  # name, file, kind, label, info


def photos(seeds: list[int], n: int, subtle: bool, lookalike: bool,
           colours: dict[str, tuple[int, int, int]] | None = None, font_file: str | None = None) -> Iterator[Photo]:
    """The labelled photos, each as a picklable tuple (generated lazily: it is slow too)."""
    for seed in seeds:
        kinds = ("lookalike",) if lookalike else ps.SUBTLE_KINDS
        for s in ps.watermark_set(seed, n, subtle_only=subtle or lookalike, kinds=kinds, grounds=True,
                                  colours=colours, font_file=font_file):
            yield s.name, s.data, s.kind, s.watermark, s.info


def colour(spec: str) -> tuple[str, tuple[int, int, int]]:
    """``name=R,G,B`` as (name, RGB)."""
    name, _, rgb = spec.partition("=")
    values = tuple(int(v) for v in rgb.split(","))
    if not name or len(values) != 3 or not all(0 <= v <= 255 for v in values):
        raise argparse.ArgumentTypeError(f"not name=R,G,B: {spec}")
    return name, values  # type: ignore[return-value]


def check(item: Photo) -> dict:
    name, data, kind, label, info = item
    report = check_photo(data, kind=kind, path=name)
    return {"name": name, "label": label, "info": info, "verdict": report.watermark,
            "reason": report.watermark_reason, "runs": report.watermark_runs, "seconds": report.seconds}


def share(results: list[dict]) -> str:
    right = sum(r["verdict"] == r["label"] for r in results)
    return f"{right}/{len(results)} = {right / len(results):.3f}" if results else "-"


def group(r: dict) -> str:
    mode = r["info"].get("mode")
    return r["label"] if r["label"] != "exact" else f"exact, {'tiled' if mode == 'tiled' else 'single line'}"


def every_char_on_paper(r: dict) -> bool:
    return min(r["info"].get("on_paper") or [0.0]) >= ON_PAPER


def report(results: list[dict], misses: bool) -> None:
    legible = [r for r in results if r["info"].get("legible", True)]
    faint = [r for r in results if not r["info"].get("legible", True)]
    print(f"\n{len(legible)} legible photos ({len(faint)} with an overlay too faint to read, apart: "
          f"{share(faint)})")
    print("\nper seed:")
    for seed in sorted({r["name"].split("_")[1] for r in legible}):
        print(f"  {seed:>10s}  {share([r for r in legible if r['name'].split('_')[1] == seed])}")
    print("\nper class:")
    for g in ("none", "wrong", "exact, tiled", "exact, single line"):
        print(f"  {g:20s}  {share([r for r in legible if group(r) == g])}")
    print(f"  {'overall':20s}  {share(legible)}")
    worst = [r for r in legible if r["label"] == "wrong" and r["verdict"] == "exact"]
    print(f"\nwrong watermarks judged exact: {len(worst)}")
    for r in worst:
        print(f"  {r['name']}  {r['info'].get('wm')}  {r['runs']}")
    print("\nby what lies under the document:")
    print(f"  {'wood or cloth desk':32s}  {share([r for r in legible if r['info'].get('bg') in DESKS])}")
    print(f"  {'plain desk, scan, held in hand':32s}  {share([r for r in legible if r['info'].get('bg') not in DESKS])}")
    exact = [r for r in legible if r["label"] == "exact"]
    print(f"\nthe official phrase, by whether every character has a copy on plain paper (>= {ON_PAPER:.0%}):")
    for mode in ("tiled", "single"):
        for yes in (True, False):
            these = [r for r in exact if r["info"].get("mode") == mode and every_char_on_paper(r) == yes]
            print(f"  {mode:6s}  {'every character' if yes else 'not every one':16s}  {share(these)}")
    wrong = [r for r in results if r["verdict"] != r["label"]]
    if misses:
        print(f"\nwrong verdicts: {len(wrong)}")
        for r in wrong:
            i = r["info"]
            least = min(i.get("on_paper") or [0.0])
            print(f"  {r['name']}  -> {r['verdict']}  {i.get('mode')} {i.get('color')} on {i.get('bg')}"
                  f"  legible={i.get('legible')} least on paper {least:.2f} | {r['reason']}")
    seconds = sorted(r["seconds"] for r in results)
    if seconds:
        print(f"\ncheck_photo: median {seconds[len(seconds) // 2]:.2f} s per photo")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seeds", type=int, nargs="+")
    ap.add_argument("--n", type=int, default=48, help="photos per seed (48)")
    ap.add_argument("--subtle", action="store_true", help="only wrong watermarks a few characters off")
    ap.add_argument("--lookalike", action="store_true", help="only look-alike swaps")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--misses", action="store_true", help="list every wrong verdict")
    ap.add_argument("--json", type=Path, help="write every result here")
    ap.add_argument("--colours", type=colour, nargs="+", metavar="NAME=R,G,B",
                    help="overlay colours instead of grey / red / blue")
    ap.add_argument("--font", help="font file to stamp the overlays in instead of Noto Sans CJK")
    args = ap.parse_args()
    stamped = photos(args.seeds, args.n, args.subtle, args.lookalike,
                     dict(args.colours) if args.colours else None, args.font)
    with Pool(args.jobs) as pool:
        results = []
        for r in pool.imap(check, stamped):
            results.append(r)
            print(f"\r{len(results)} photos checked", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    report(results, args.misses)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
