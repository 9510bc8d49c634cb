"""Watermark reading and judging (OCR) and the stamping tool."""

from __future__ import annotations

import collections
import math
from dataclasses import replace

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from core import watermark as wm
from core.photos import load_photo
from tests import photoset as ps
from tests.photo_fixtures import lookalike_samples, subtle_samples, watermark_samples  # noqa: F401
from tests.stored_photos import watermark_photo


@pytest.mark.parametrize("runs,verdict", [
    ([], "none"),
    ([wm.OFFICIAL], "exact"),
    (["仅供办理中国版权", "保护中心各项申请使用", wm.OFFICIAL], "exact"),
    (["申请使用仅供办理中国版权保护中心各项申请使用仅供"], "exact"),  # tiles wrap end to end
    (["仅供办理中国版权保护中心各项申请使"], "wrong"),  # a piece only
    (["仅供办理中国版权保", "中国版权保护中心各项申请", "心各项申请使用仅供"], "exact"),  # tiles, none read whole
    (["中国版权保护中心各项"] * 4, "wrong"),  # a piece, tiled
    (["仅供办理中国版权保护中心各项清使用"], "wrong"),
    (["仅供办理中国版权保护中心各项申清使用"], "wrong"),
    ([ps.TRADITIONAL], "wrong"),
    (["复印件" + wm.OFFICIAL], "wrong"),
    ([wm.OFFICIAL + "有效期三个月"], "wrong"),
    (["FORCOPYRIGHTAPPLICATIONONLY"], "wrong"),
    (["仅供办理银行开户使用"], "wrong"),
])
def test_given_runs_when_judged_then_verdict(runs, verdict):
    assert wm.judge(runs)[0] == verdict


def test_given_tiles_with_one_misreading_then_outvoted_but_a_repeated_change_is_wrong():
    tiles = [wm.OFFICIAL] * 4 + ["仅供办理中国版权保护中心各项电请使用"]
    assert wm.judge(tiles)[0] == "exact"
    changed = [wm.OFFICIAL.replace("请", "清")] * 3 + [wm.OFFICIAL] * 2
    assert wm.judge(changed)[0] == "wrong"
    prefixed = ["复印件" + wm.OFFICIAL] * 3 + [wm.OFFICIAL] * 3
    assert wm.judge(prefixed)[0] == "wrong"


def test_given_tiles_with_one_reading_garbled_in_doubt_then_it_is_no_witness_to_other_words():
    tiles = [wm.Reading(wm.OFFICIAL)] * 4
    # A faint red tile over a licence's print, read on the layer (fresh seed 9806, photo 23).
    garbled = wm.Reading("保护项甲清币", "001000")
    assert wm.judge(tiles + [garbled])[0] == "exact"
    # Read surely, or twice, or beside extra words, it is words.
    assert wm.judge(tiles + [wm.Reading("保护项甲清币")])[0] == "wrong"
    assert wm.judge(tiles + [garbled, wm.Reading("多卯丰情使用", "000011")])[0] == "wrong"
    assert wm.judge(tiles + [garbled, wm.Reading(wm.OFFICIAL + "复印无效")])[0] == "wrong"
    # Fewer than half its characters in doubt: words.
    assert wm.judge(tiles + [wm.Reading("保护项甲清币", "011011")])[0] == "wrong"


def test_given_a_tile_read_with_an_id_card_label_then_the_label_is_print_but_not_in_every_tile():
    seam = "护中心各项申请使用性别仅供办理中国版权保护中心各项申请使用"  # a tile across 性别 (9407, 17)
    tiles = [seam, wm.OFFICIAL, "仅供办理中国版权保护中心", wm.OFFICIAL]
    assert wm.judge(tiles)[0] == "exact"
    assert wm.judge(["各项申请使民身份号仅供办理中国版权保护中心各项申请使用"] + tiles[1:])[0] == "exact"
    # Other words are never a label, nor are two characters of a longer one (身份 of 身份证) ...
    assert wm.judge([seam.replace("性别", "复印")] + tiles[1:])[0] == "wrong"
    assert wm.judge([seam.replace("性别", "身份证")] + tiles[1:])[0] == "wrong"
    # ... and a label read in two tiles is words stamped in every tile.
    assert wm.judge([seam, seam.replace("护中心各项", "")] + tiles[1:])[0] == "wrong"
    assert wm.judge(["仅供办理中国版权保护中心各项申请使用出生证明"] * 3 + tiles[1:])[0] == "wrong"


def test_given_a_licence_title_read_as_a_tile_then_it_is_print_but_not_in_every_tile():
    # Blue tiles over a dim licence (fresh 11403/9): its title, crossed by a tile, was read as a
    # line of its own and a tile's end ran into 注册资本; both were taken for other words.
    tiles = ["理中国版权保护中心各项申请使用", "仅供办理中国版权保护中", "仅供办理中国", "中心各项申请使用"]
    assert wm.judge(tiles + ["营业执照", "供注册资本"])[0] == "exact"
    # A title read in two readings is words stamped in every tile; what is left beside it counts.
    assert wm.judge(tiles + ["营业执照"] * 2)[0] == "wrong"
    assert wm.judge(tiles + ["营业执照年检"])[0] == "wrong"


def _doubtful(text: str, at: str) -> wm.Reading:
    """``text`` as read with the recogniser unsure of its character ``at`` only."""
    return wm.Reading(text, "".join("0" if c == at else "1" for c in text))


def test_given_look_alikes_read_in_doubt_then_outweighed_by_sure_readings_but_sure_ones_never():
    clear = wm.OFFICIAL.replace("请", "清")
    # Four faint tiles read "清" with the recogniser torn between it and "请": four sure
    # readings of "请" outweigh them (a plain count, four against four, would not).
    tiles = [_doubtful(clear, "清")] * 4 + [wm.Reading(wm.OFFICIAL)] * 4
    assert wm.judge(tiles)[0] == "exact"
    assert wm.judge([str(t) for t in tiles])[0] == "wrong"
    # Read surely, the same "清" is a change; so it is when the readings of "请" are fewer than
    # the doubtful ones, or when one reading is sure of "清" and the sure right ones are fewer
    # than MAJORITY.
    assert wm.judge([wm.Reading(clear)] * 4 + [wm.Reading(wm.OFFICIAL)] * 4)[0] == "wrong"
    assert wm.judge([_doubtful(clear, "清")] * 5 + [wm.Reading(wm.OFFICIAL)] * 4)[0] == "wrong"
    assert wm.judge([_doubtful(clear, "清")] * 3 + [wm.Reading(clear)]
                    + [_doubtful(wm.OFFICIAL, "请")] * 3 + [wm.Reading(wm.OFFICIAL)])[0] == "wrong"
    # No reading sure of the change: as many readings of "请", sure or not, outweigh it.
    assert wm.judge([_doubtful(clear, "清")] * 4 + [_doubtful(wm.OFFICIAL, "请")] * 3
                    + [wm.Reading(wm.OFFICIAL)])[0] == "exact"
    # One faint grey line read three times on the layer (fresh seed 9101, photo 39): "仅" read
    # as "文" in doubt once, left out once, read right once. One reading each way is no
    # majority: a red look-alike line 仅供办理申国… was read just so (申 in doubt once, 中 once;
    # look-alike seed 559, photo 1). Two right readings outweigh the doubt.
    line = [wm.Reading("文供办理中国版权保护中心各项申请使", "01111111111111111"),
            wm.Reading("供办理中国版权保护中心各项申请使", "1011111111111111"),
            wm.Reading(wm.OFFICIAL, "110111111111111110")]
    assert wm.judge(line)[0] == "wrong"
    assert wm.judge(line + [wm.Reading(wm.OFFICIAL)])[0] == "exact"
    look = [wm.Reading(wm.OFFICIAL), _doubtful(wm.OFFICIAL.replace("中", "申", 1), "申"),
            wm.Reading("仅供办理舆权保护中心各项申记")]
    assert wm.judge(look)[0] == "wrong"
    # Twice "仪" in doubt against one "仅" (seed 9101, photo 21): a look-alike of 仅 is not ruled out.
    twice = [wm.Reading(wm.OFFICIAL, "001111111111111111")] + \
        [wm.Reading("仪" + wm.OFFICIAL[1:], "001111111111111111")] * 2
    assert wm.judge(twice)[0] == "wrong"
    # Two sure readings of a look-alike against what the recogniser expects (申国 read as 中国
    # in most tiles) outweigh all but three times as many sure right readings.
    swapped = wm.Reading(wm.OFFICIAL.replace("中", "申", 1))
    assert wm.judge([swapped] * 3 + [wm.Reading(wm.OFFICIAL)] * 7)[0] == "wrong"
    assert wm.judge([swapped] * 2 + [wm.Reading(wm.OFFICIAL)] * 6)[0] == "exact"
    assert wm.judge([swapped] + [wm.Reading(wm.OFFICIAL)] * 2)[0] == "exact"
    # The readings of a photo of grey tiles saying "仅供办理申国…" (lookalike seed 556, photo 46),
    # with the recogniser's marks: 申 read surely 3 times, 中 7 times; once judged exact.
    photo = [("共办理申国版权保护中心各项申请使用", "11111101111111111"), ("各项申请使用", "110110"),
             ("仅供办理中国版权保护中心", "011011101111"), ("各项申请使用", "111111"),
             ("仅供办理中国版权保护中心", "111111111111"), ("烘办理申国版校保护中心各项申请使用", "01111101111111101"),
             ("供办理申国版权保护中心各项申请使用", "01111101111111111"),
             ("心各项申请使用仅供办理中国版权保护中心备", "01101110110111011110"),
             ("各项申请使用仅供办理中国版权保护中心", "110110111011101111"),
             ("心各项申请使用仅供办理中国版权保护中心", "0111111111111111111"),
             ("各项申请使用仅供办理中国版权保护中心", "111111111111111111")]
    assert wm.judge([wm.Reading(text, marks) for text, marks in photo])[0] == "wrong"
    # Doubt never forgives a character missing or added.
    missing = wm.Reading(wm.OFFICIAL.replace("请", ""), "1" * 16)
    assert wm.judge([missing] * 5 + [wm.Reading(wm.OFFICIAL)] * 4)[0] == "wrong"


def test_given_a_character_dropped_in_some_tiles_then_forgiven_when_as_many_tiles_read_it_in_place():
    dropped = wm.OFFICIAL.replace("权", "")
    # Three tiles read "版权保" and two "版保": the recogniser drops a faint character but does
    # not put one that is not there between its two neighbours.
    assert wm.judge([dropped] * 2 + [wm.OFFICIAL] * 3)[0] == "exact"
    # As many tiles with it as without it, one and one too: it is in the tiles.
    assert wm.judge([dropped] * 3 + [wm.OFFICIAL] * 3)[0] == "exact"
    assert wm.judge([dropped, wm.OFFICIAL, wm.OFFICIAL[-6:]])[0] == "exact"
    # Fewer readings with it than without it: a missing character.
    assert wm.judge([dropped] * 3 + [wm.OFFICIAL] * 2)[0] == "wrong"
    assert wm.judge([dropped] * 2 + [wm.OFFICIAL])[0] == "wrong"
    # An added character is no such slip: the same two to three is a change.
    added = wm.OFFICIAL.replace("权", "权权")
    assert wm.judge([added] * 2 + [wm.OFFICIAL] * 3)[0] == "wrong"


def _box(text: str, cx: float, cy: float, length: float, height: float, angle: float) -> wm.OcrLine:
    """A line of text boxed as the detector boxes it (corners tl, tr, br, bl)."""
    a = math.radians(angle)
    u, v = np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])
    c = np.array([cx, cy])
    box = np.array([c - u * length / 2 - v * height / 2, c + u * length / 2 - v * height / 2,
                    c + u * length / 2 + v * height / 2, c - u * length / 2 + v * height / 2], np.float32)
    return wm._geometry(box, text, 0.9)


def test_given_a_line_of_print_under_a_steep_tile_then_it_is_not_taken_for_a_line_laid_across_print():
    printed = _box("出生1997年11月28日", 400, 300, 420, 36, 0.0)
    tile = _box("仅供办理中国版权保护中心", 420, 300, 520, 40, 49.0)
    doc = (0.0, 36.0)
    # The tile's tilt tells which of the two is overlay.
    assert not wm._crosses(printed, [printed, tile], doc)
    # A long line laid over the print a few degrees off it is the overlay.
    laid = _box("仅供办理银行开户使用", 400, 305, 600, 44, 4.0)
    assert wm._crosses(laid, [laid, printed], doc)
    # Unknown document direction: crossing at all is enough.
    assert wm._crosses(laid, [laid, printed], None)


def test_given_an_address_crossed_by_a_tile_a_few_degrees_off_then_the_address_is_print():
    # Fresh 10406, photo 1: red tiles at 4 degrees to a licence crossed its address line, which
    # was taken for a line laid over the print ("other words: 四川省成都市…").
    doc = (-1.9, 30.0)
    address = _box("四川省成都市武侯区长江路176号", 400, 300, 560, 30, -1.6)
    tile = _box("仅供办理中国版权保护中心", 420, 305, 500, 34, 2.5)
    assert not wm._crosses(address, [address, tile], doc)
    # The tile is the one off the document's direction.
    assert wm._crosses(tile, [tile, address], doc)


def test_given_one_photo_reading_with_words_the_layer_never_reads_then_it_is_print_left_out():
    p = wm.OFFICIAL
    # Fresh 10403, photo 41: a date of birth, crossed by a tile, was read as the overlay's.
    photo = [p[3:], p, p, p[:13], "出生1956年7月11日", p[11:], p[:8]]
    layer = [p[:14], p[2:13], p[4:17], p[:7]]
    assert wm.print_left_out(photo, layer) == 4
    assert wm.judge(photo)[0] == "wrong"
    kept = wm._exact_but_print(photo, layer, [], np.zeros((8, 8, 3), np.uint8), lambda: np.zeros((8, 8), np.uint8))
    assert kept == ([r for r in photo if r != photo[4]], photo[4])
    # Words stamped with the phrase are on the layer too: a prefix, not print.
    stamped = ["复印件" + p, p, p[:12], p[4:]]
    assert wm.print_left_out(stamped, layer + ["复印件仅供办理中"]) is None
    assert wm.print_left_out(stamped, layer) == 0
    # Two readings with words the layer lacks are not one line of print.
    assert wm.print_left_out(photo + ["四川省成都市武侯区"], layer) is None
    # Without that reading the rest must still be exact: here a character is never read.
    gap = [p[:9], p[:9], "出生1956年7月11日", p[:9]]
    assert wm._exact_but_print(gap, layer, [], np.zeros((8, 8, 3), np.uint8),
                               lambda: np.zeros((8, 8), np.uint8)) is None


def test_given_print_read_inside_a_tiles_phrase_and_not_on_the_layer_then_it_is_print_left_out():
    p = wm.OFFICIAL
    # Fresh 11701, photo 7: a tile across a date of birth read 理曲国版994保护月18日各项申请,
    # whose extra words lie within the phrase, not around it.
    crossed = wm.Reading("理曲国版994保护月18日各项申请", "10101110001101111")
    photo = [p[3:], crossed, p[12:], p[:11], p[14:]]
    layer = [p[2:], p[3:], p[13:], "仅供办理中国保护中", p[14:]]
    assert wm.judge(photo)[0] == "wrong"
    assert wm.print_left_out(photo, layer) == 1
    assert wm.judge([r for r in photo if r is not crossed])[0] == "exact"
    # The layer reads those words too: they were stamped, not printed.
    assert wm.print_left_out(photo, layer + ["版994保护"]) is None
    # One character read as another is no words: nothing to leave out.
    assert wm.print_left_out([p[3:], p.replace("权", "杈"), p[12:]], layer) is None


def test_given_the_layers_tiles_tie_only_in_doubt_then_the_photos_readings_break_the_tie():
    p = wm.OFFICIAL
    # Fresh 11701, photo 9: red tiles on a wood desk. The layer read 各 right once and 名 there
    # once, in doubt: a tie it cannot settle. The photo read 各 right, surely, in two tiles.
    photo = [wm.Reading("权保护中心各项申请使关", "11111111100"), wm.Reading("中理中国版权保护中心", "0111111111"),
             wm.Reading("中版权"), wm.Reading("各项申请使用仅供办理", "0101111110"), wm.Reading("申请使用仅供办")]
    layer = [wm.Reading("版权保护中心各项申请使仅供", "1111111111011"),
             wm.Reading("中国版权保护心名项申请使用仅供办", "1011100011111111"), wm.Reading(p[13:]),
             wm.Reading(p[1:12]), wm.Reading("申请使用仅供办理中国版权保护", "01111111111111")]
    assert wm.judge(layer)[0] == "wrong"
    assert wm._doubt_tie_broken(photo, layer, []) is not None
    # Read surely on the layer, the other character is evidence the photo does not outweigh.
    sure = [wm.Reading(str(r), "1" * len(r)) if "名" in r else r for r in layer]
    assert wm.judge(photo + sure)[0] == "exact" and wm._doubt_tie_broken(photo, sure, []) is None
    # Nor when the photo read a look-alike surely in two tiles.
    swapped = photo + [wm.Reading(p.replace("各", "名"))] * 2
    assert wm._doubt_tie_broken(swapped, layer, []) is None
    # Too few readings on either side to weigh one against the other.
    assert wm._doubt_tie_broken(photo[:2], layer, []) is None
    assert wm._doubt_tie_broken(photo, layer[:2], []) is None


def test_given_the_layer_reads_right_the_places_in_doubt_then_what_else_it_misses_is_no_evidence():
    p = wm.OFFICIAL
    # Fresh 10101, photo 29: the photo's readings showed the phrase, but two tiles read 共 for
    # 供 in doubt, so the layer was read; it read 供 right and never read the phrase's end.
    doubt = wm.Reading(p.replace("供", "共"), "10" + "1" * (len(p) - 2))
    photo = [p, p[:12], p[6:], doubt, doubt, p]
    assert wm.judge(photo)[0] == "exact" and wm._doubted(photo)
    layer = [p[:10], p[:8], p[2:9]]
    assert wm.judge(layer)[0] == "wrong"
    assert wm._settled(photo, layer) and wm.judge(photo + layer)[0] == "exact"
    # The layer reads 共 there and never 供: not settled (a look-alike, perhaps).
    assert not wm._settled(photo, ["仅共办理中国版权", p[:8].replace("供", "共"), p[2:9]])
    # A reading running on past the phrase's end: words may follow it, the layer decides.
    assert not wm._settled(photo, layer + ["中心各项申请使用他"])
    # No place in doubt twice: nothing for the layer to settle.
    assert not wm._settled([p, p[:12], doubt], layer)


def test_given_a_look_alike_read_surely_once_on_the_photo_then_one_layer_reading_does_not_outvote_it():
    # Fresh 10602, photo 3: blue tiles 仪供办理… The photo read 仪供办 once, surely; the layer,
    # fainter, read 仅供办 once and judged the phrase exact.
    p = wm.OFFICIAL
    photo = [wm.Reading("仪供办"), p[2:9], p[12:]]
    layer = [wm.Reading("仅供办"), p[2:18], p[4:11], p[9:18]]
    assert wm.judge(layer)[0] == "exact"
    assert wm._swap_outstanding(photo, layer) == "difference ~仪 at 仅 read surely 1x, right 1x"
    # Read right twice as often, the photo's one sure misreading is a slip.
    assert wm._swap_outstanding(photo, layer + [p[:6]]) is None
    # A misreading in doubt is no such evidence.
    assert wm._swap_outstanding([wm.Reading("仪供办", "011")] + photo[1:], layer) is None


def test_given_a_look_alike_read_surely_on_the_photo_then_the_layers_fainter_readings_do_not_clear_it():
    # Blue tiles saying "仅供办理申国…" (look-alike seed 560, photo 0): the photo read 申国
    # surely in many tiles; the overlay layer, fainter, read 中国 in most of them.
    photo = [("仅供办理申国版权保护中心各项申请使用", "011111111111111111"), ("仅供办理", "1110"),
             ("办理申国版权保护中心各项申请使用", "0101111111111111"),
             ("仅供办理申国版权保护中心各项申请", "1111111111111111"), ("中国版权保护中心各项申请使用", "11111111111111"),
             ("仅供办理申国版权保护", "1111111111"), ("仅供办理申国版权保护中心", "111111111111"),
             ("申国版权保护中心各项申请使用", "01111111110111"), ("理申国版权保护", "1011111")]
    layer = [("保项申请使用", "101111"), ("仅供办程中国保护中心各项申请使用", "1110101111110111"),
             ("国办集主国版保护中各项申请使用", "000010101111111"), ("仅供办理中国民", "1111010"),
             ("用国版保护中各具中请使用", "011100000111"), ("仅办理申国版权保护中心各项请使源", "1101111011111010"),
             ("仅供办理中国版权保中心名员申请使用", "01000111101001111"), ("仅供办理中国版权保", "101101111"),
             ("理国版权保中心各项申请使用", "0111001111111")]
    photo_runs = [wm.Reading(t, m) for t, m in photo]
    layer_runs = [wm.Reading(t, m) for t, m in layer]
    assert wm.judge(layer_runs)[0] == "exact"  # the layer alone is fooled
    assert wm._sure_swaps(photo_runs)
    assert wm.judge(photo_runs + layer_runs)[0] == "wrong"
    # One sure misreading, or the same one in doubt, is no sure swap.
    assert not wm._sure_swaps([wm.Reading(wm.OFFICIAL.replace("申", "电"))] + [wm.Reading(wm.OFFICIAL)] * 3)
    assert not wm._sure_swaps([_doubtful(wm.OFFICIAL.replace("申", "电"), "电")] * 2)


@pytest.mark.ocr
def test_given_the_photo_of_that_look_alike_then_it_is_judged_wrong():
    sample = list(ps.watermark_set(560, 1, subtle_only=True, kinds=("lookalike",)))[0]
    assert sample.watermark_text == wm.OFFICIAL.replace("中", "申", 1)
    assert _verdict(sample) == "wrong"


def test_given_a_look_alike_read_only_in_doubt_on_the_photo_then_the_layer_decides_and_finds_it():
    # Blue tiles saying "仅供办理申国…" over an ID card (look-alike seed 557, photo 25). On the
    # photo 申 was read twice, both in doubt, and 中 four times: outvoted, the photo's readings
    # are exact. Only the card's print read among them ("姓别女使居民族蒙古") kept the verdict
    # wrong, and read mostly in doubt, it is garbled, no witness to other words either.
    photo = [("仅供办理中国版权保护中心各项申请使用", "111111111111111111"), ("仅供办理中国版权保护", "1111111111"),
             ("仅供办理中国版权保护中心各项申话使", "11110111111111000"), ("仅供办理申国版权保护中心", "111101111011"),
             ("权保护中心各项申请使用", "11111111111"), ("仅供办理申国版权保护中", "11110111110"),
             ("申请使用", "0111"), ("请使用", "111"), ("仅供办理中国版权保护", "1111011100"),
             ("各项申请使用", "111111"), ("项申请使用", "11111"), ("申请使用", "0111"), ("仅供办理", "1111"),
             ("仅供办", "110")]
    photo_runs = [wm.Reading(t, m) for t, m in photo]
    assert wm.judge(photo_runs)[0] == "exact"
    assert wm.judge(photo_runs + [wm.Reading("姓别女使居民族蒙古", "000001111")])[0] == "exact"
    # So the layer is read too: its readings have 申 once surely and once in doubt, 中 twice,
    # which is no slip (here without the label's remains "展族" read after one tile).
    assert wm._doubted(photo_runs)
    layer = [("共理中国批权产中心各项日请使用", "011100011110011"), ("仅供办理申国版权保护中心各项申", "111111111111111"),
             ("申国版权保护中心各项申请使用", "01111111111111"), ("仅供办理中国", "010110"),
             ("各项申请使用", "010010"), ("保护中各项中", "111111"), ("仅供力", "110"), ("项申话", "000")]
    assert wm.judge([wm.Reading(t, m) for t, m in layer])[0] == "wrong"
    # One tile misread in doubt, or two tiles misreading different places, is no such doubt.
    assert not wm._doubted([_doubtful(wm.OFFICIAL.replace("申", "中"), "中")] + [wm.Reading(wm.OFFICIAL)] * 3)
    assert not wm._doubted([_doubtful(wm.OFFICIAL.replace("申", "甲"), "甲"),
                            _doubtful(wm.OFFICIAL.replace("请", "清"), "清")] + [wm.Reading(wm.OFFICIAL)] * 2)
    assert wm._doubted([_doubtful(wm.OFFICIAL.replace("申", "甲"), "甲")] * 2 + [wm.Reading(wm.OFFICIAL)] * 4)


@pytest.mark.ocr
def test_given_the_photo_of_that_doubted_look_alike_then_it_is_judged_wrong():
    sample = watermark_photo(557, 25, lookalike=True)
    assert sample.watermark_text == wm.OFFICIAL.replace("中", "申", 1) and sample.info["mode"] == "tiled"
    assert _verdict(sample) == "wrong"


@pytest.mark.ocr
def test_given_a_big_look_alike_line_read_as_the_phrase_in_every_reading_then_it_is_still_wrong():
    # Grey 仅供办理申国… across a licence: every reading takes 申国 for 中国, and only 请, which
    # no reading gets right, keeps it wrong. A change that reads 请 (an inpainted layer did)
    # lets this look-alike pass as exact.
    sample = watermark_photo(557, 9, lookalike=True)
    assert sample.watermark_text == wm.OFFICIAL.replace("中", "申", 1) and sample.info["mode"] == "single"
    assert _verdict(sample) == "wrong"


@pytest.mark.ocr
def test_given_a_look_alike_line_read_once_each_way_then_it_is_wrong():
    # Red 仅供办理申国… (look-alike seed 559, photo 1): the layer's readings have 申 once, in
    # doubt, and 中 once; the third reading garbles the place. It passed as exact.
    sample = list(ps.watermark_set(559, 2, subtle_only=True, kinds=("lookalike",)))[1]
    assert sample.watermark_text == wm.OFFICIAL.replace("中", "申", 1) and sample.info["mode"] == "single"
    assert _verdict(sample) == "wrong"


@pytest.mark.ocr
def test_given_look_alike_tiles_over_a_wood_desk_then_reading_the_desk_does_not_pass_them():
    # Grey 仪供办理… tiles over a wood desk (look-alike seed 559, photo 24). The desk layer reads
    # 仪 in doubt in four tiles and 仅 in four, surely in one only; weighed as the layer's
    # readings are, the two outvoted each other and the photo passed as exact.
    sample = watermark_photo(559, 24, lookalike=True)
    assert sample.watermark_text == wm.OFFICIAL.replace("仅", "仪") and sample.info["bg"] == "wood"
    assert _verdict(sample) == "wrong"


def test_given_readings_with_marks_then_normalising_and_stitching_keep_each_characters_mark():
    read = wm.normalise(wm.Reading("仅供，办ｌ", "10110"))
    assert (read, read.sure) == ("仅供办L", "1010")
    assert wm.normalise("仅供，办") == "仅供办" and not isinstance(wm.normalise("仅供"), wm.Reading)
    a = _line("仅供办理中国", 0.0, 40, 240)
    b = _line("中国版权", 0.0, 40, 160)
    a.text, b.text = wm.Reading("仅供办理中国", "111101"), wm.Reading("中国版权", "0110")
    a.cx, b.cx = 120.0, 280.0  # b starts a character before a ends: the two overlap
    a.is_watermark = b.is_watermark = True
    (run,) = wm.stitch([a, b])
    assert (run, run.sure) == ("仅供办理中国版权", "11110110")


def test_given_tiles_of_reordered_words_when_judged_then_wrong():
    # Every junction of reordered words can be aligned as skipped characters of the repeated
    # phrase; those junctions are never read right anywhere, so the tiles are not outvoted.
    reordered = "使用办理各项仅供中国版权保护中心申请"
    reads = [reordered[i:i + 12] for i in range(0, 8)] + [reordered] * 3
    assert wm.judge(reads)[0] == "wrong"


def test_given_a_suffix_read_as_look_alikes_at_the_end_then_wrong():
    # An extra word after the phrase may align as substitutions just as well as insertions.
    reads = [wm.OFFICIAL + "再复印无效", wm.OFFICIAL + "再复印天效", "仅供办理中国版权保护中心各项申请无效"]
    assert wm.judge(reads)[0] == "wrong"


def test_given_the_same_words_between_tiles_twice_then_wrong():
    reads = [wm.OFFICIAL + "他用无效" + wm.OFFICIAL[:6]] * 2 + [wm.OFFICIAL] * 4
    assert wm.judge(reads)[0] == "wrong"
    # Print slipping in once between two tiles is forgiven.
    once = [wm.OFFICIAL + "姓" + wm.OFFICIAL[:6]] + [wm.OFFICIAL] * 4
    assert wm.judge(once)[0] == "exact"


def test_given_a_line_read_three_times_with_one_slip_then_exact_but_two_slips_wrong():
    slip = wm.OFFICIAL.replace("版", "")
    assert wm.judge([wm.OFFICIAL, wm.OFFICIAL, slip])[0] == "exact"
    assert wm.judge([wm.OFFICIAL, slip, slip])[0] == "wrong"


def test_given_an_end_character_misread_in_two_tiles_then_outvoted_but_words_beyond_never():
    # "仅" over a busy desk read as "又" twice (in doubt, as the recogniser is there): a
    # misreading of the phrase's first character, weighed against the tiles that read it
    # right, not an extra word before the phrase.
    slips = [_doubtful("又供办理中国版权保护中心各项申请使用", "又")] * 2 + [wm.OFFICIAL] * 4
    assert wm.judge(slips)[0] == "exact"
    # Two characters or more beyond the phrase's start or end are words, even read once.
    for extra in (["复印件" + wm.OFFICIAL], [wm.OFFICIAL + "他用无效"], ["请使用他用无效仅供办理中国"]):
        assert wm.judge(extra + [wm.OFFICIAL] * 5)[0] == "wrong", extra
    # Between two tiles, characters standing in for the skipped "仅供" are a misreading.
    assert wm.judge(["中心各项申请使用汉共办理中国版权保护中各"] + [wm.OFFICIAL] * 5)[0] == "exact"


def _line(text: str, angle: float, height: float, length: float, colour: float = 0.0,
          contrast: float = 0.9) -> wm.OcrLine:
    return wm.OcrLine(text=text, score=0.9, box=np.zeros((4, 2), np.float32), angle=angle, height=height,
                      length=length, cx=0.0, cy=0.0, contrast=contrast, colour=colour)


def test_given_a_big_coloured_line_along_the_print_then_overlay_but_a_short_word_off_by_ten_degrees_is_print():
    big = _line("我供办攜中出第行7民护中心项中请用", 4.7, 75, 1200, colour=75)
    word = _line("长期", -10.3, 24, 50, colour=9)
    title = _line("营业执照", 3.0, 70, 300, colour=10)
    wm.classify([big, word, title], (3.0, 28.0))
    assert (big.is_watermark, word.is_watermark, title.is_watermark) == (True, False, False)


def test_given_a_faint_row_of_an_id_card_beginning_with_its_label_then_print_but_other_faint_words_overlay():
    # A dim hand-held card's 性别男 (light-blue label, black value) measured fainter than any
    # print: fresh seed 10405, photo 36, no watermark at all, was judged `wrong`.
    row = _line("性别男", 6.9, 24, 80, colour=20, contrast=0.22)
    words = _line("复印无效", 6.5, 24, 100, colour=20, contrast=0.22)
    tilted = _line("性别男", 25.0, 24, 80, colour=20, contrast=0.22)
    address = _line("住址湖南省长沙市岳麓区朝", 6.3, 24, 300, colour=13, contrast=0.47)
    wm.classify([row, words, tilted, address], (6.2, 24.0))
    assert (row.is_watermark, words.is_watermark, tilted.is_watermark, address.is_watermark) == \
        (False, True, True, False)
    assert words.why == "faint" and tilted.why == "tilted"


def test_given_print_and_overlays_when_layered_then_print_gone_overlay_kept():
    rng = np.random.default_rng(3)
    card = ps.flat_scene(rng, ps.draw_licence(rng, 1200), 1280, 960, "plain", 0.9, 0, 0.0)
    for colour in ("grey", "red"):
        arr = ps.watermark(card, wm.OFFICIAL, mode="single", color=ps.COLORS[colour], opacity=0.4, angle=0,
                           size=60, region=(0, 380, 1280, 580))
        layer = wm.overlay_layer(arr).astype(int)
        grey = np.asarray(Image.fromarray(arr).convert("L")).astype(int)

        def dark(img: np.ndarray) -> tuple[float, float]:
            band, rest = img[440:520], np.concatenate([img[:380], img[620:]])
            return float((band < 180).mean()), float((rest < 180).mean())

        band, rest = dark(layer)
        _, rest_photo = dark(grey)
        # The overlay's band is dark on the layer; most of the print elsewhere has gone.
        assert band > 0.05, colour
        assert rest < rest_photo / 4, (colour, rest, rest_photo)


def test_given_a_blue_line_over_an_id_cards_blue_labels_then_the_labels_leave_the_layer_and_the_line_stays():
    from core.synthetic import font, watermark

    card = Image.new("RGB", (1280, 400), (242, 246, 248))
    draw = ImageDraw.Draw(card)
    for x in (60, 420, 780):  # opaque print of the overlay's own colour, and black print
        draw.text((x, 60), "住 址", font=font(64), fill=(65, 110, 170))
        draw.text((x, 250), "南路号栋", font=font(64), fill=(25, 25, 25))
    plain = np.asarray(card)
    labels = (np.abs(plain.astype(int) - (65, 110, 170)).sum(axis=2) < 60)
    black = plain.max(axis=2) < 60
    stamped = plain
    for top in (40, 230):  # one line across the labels, one across the black print
        stamped = watermark(stamped, wm.OFFICIAL, mode="single", color=ps.COLORS["blue"], opacity=0.4,
                            angle=0, size=60, region=(0, top, 1280, top + 120))
    line = np.abs(stamped.astype(int) - plain).sum(axis=2) > 30
    layer = wm.overlay_layer(stamped)
    # Away from the overlay the labels are blanked like black print, where the colour alone kept them.
    assert (layer[labels & ~line] > 240).mean() > 0.9
    # The overlay stays, on the paper and over the black print alike.
    assert (layer[line & ~labels & ~black] < 200).mean() > 0.8
    assert (layer[line & black] < 200).mean() > 0.5


@pytest.mark.ocr
def test_given_a_blue_line_whose_first_characters_cross_the_label_of_the_address_then_exact():
    # Fresh seed 10907, photo 5: 仅供 over the blue label 住址, never read while the label stayed.
    sample = watermark_photo(10907, 5)
    assert sample.watermark == "exact" and sample.info["color"] == "blue"
    assert wm.check_watermark(np.asarray(load_photo(sample.data).image)).verdict == "exact"


def test_given_a_line_on_the_layer_holding_five_of_the_phrase_in_a_row_then_never_print():
    assert wm._holds_piece("各项申请使用再复印无效")  # a tile with its suffix (fresh seed 9507, photo 38)
    assert wm._holds_piece("使用仅供办理")  # across two tiles
    assert not wm._holds_piece("心各项申3号20栋1396室")  # four of it, then an address
    assert not wm._holds_piece("公民身份号码")


def _tiles(*words: str) -> tuple[list[wm.OcrLine], np.ndarray]:
    """Rows of grey tiles, "仅供办理中国版权…" with each row's ``words`` before it, on paper:
    the boxes of the phrase alone, as the detector boxes a tile whose first words it left
    out, and the overlay layer."""
    img = Image.new("RGB", (1280, 200 + 150 * len(words)), (245, 245, 245))
    draw, font = ImageDraw.Draw(img), ps.font(44)
    lines = []
    for r, before in enumerate(words):
        x, y = 60 + 40 * r, 100 + 150 * r
        draw.text((x, y), before + wm.OFFICIAL, font=font, fill=(160, 160, 160))
        start = x + font.getlength(before)
        length = font.getlength(wm.OFFICIAL[:12])
        line = _box(wm.OFFICIAL[:12], start + length / 2, y + 26, length, 48, 0.0)
        line.is_watermark = True
        lines.append(line)
    return lines, wm.overlay_layer(np.asarray(img))


@pytest.mark.ocr
def test_given_tiles_boxed_without_their_prefix_then_it_is_read_beyond_their_start():
    assert "本件" in (wm._end_words(*_tiles("本件", "本件")) or "")
    assert wm._end_words(*_tiles("", "")) is None
    # Words beside one tile only are no prefix (an ID card's label, a stroke of print).
    assert wm._end_words(*_tiles("本件", "")) is None
    assert wm._end_words(*_tiles("性别", "住址")) is None


def test_given_a_reading_beyond_a_tiles_end_then_what_stands_next_to_the_phrase_is_outside_it():
    # A suffix that begins with the phrase's last character again: the aligner takes its
    # second 用 for the phrase's end, which left only 无 beyond it.
    assert wm._outside("使用他用无") == [("after", "他用无")]
    assert wm._outside("用他用无效") == [("after", "他用无效")]
    assert wm._outside("心各项申请使用他用") == [("after", "他用")]
    assert wm._outside("复印件仅供办理") == [("before", "复印件")]
    assert wm._outside("仅仅供办理") == [("before", "仅")]
    # Nothing beyond: the phrase's end, the next tile's start, a character lost at the end.
    assert wm._outside("中心各项申请使用") == [("after", "")]
    assert wm._outside("申请使用仅供") == []
    assert wm._outside("中心各项申请使") == [("after", "")]


def test_given_a_tile_read_on_past_the_phrases_end_then_the_layer_is_read_too():
    # One character in a row with the phrase's last two (or before its first two): a suffix's
    # first character the tile's box took in, the rest of it lost over a desk.
    assert wm._runs_on("使用他") and wm._runs_on("他仅供办理")
    assert wm._runs_on("权保护中心各请使用字")
    # Not the phrase's end alone, the next tile's start, nor a character apart from it.
    assert not any(map(wm._runs_on, ["中心各项申请使用", "申请使用仅供", "使用", "仅供办理", "使他"]))


def test_given_text_when_normalised_then_punctuation_and_width_gone():
    assert wm.normalise("仅供办理，中国版权保护中心各项申请使用。") == wm.OFFICIAL
    assert wm.normalise("ｆｏｒ copy") == "FORCOPY"


def test_given_an_image_when_stamped_then_same_size_and_tinted():
    img = Image.new("RGB", (1200, 900), (250, 250, 250))
    out = wm.stamp(img, color="red", opacity=0.5)
    arr = np.asarray(out).astype(int)
    assert out.size == img.size
    assert (arr[..., 0] - arr[..., 1] > 30).mean() > 0.01
    with pytest.raises(ValueError):
        wm.stamp(img, color="green")


@pytest.mark.ocr
def test_given_stamped_documents_when_checked_then_exact():
    rng = np.random.default_rng(12)
    verdicts = []
    for color, kind in (("grey", "licence"), ("red", "id_copy"), ("blue", "licence")):
        doc = ps.draw_licence(rng, 1500) if kind == "licence" else ps.draw_id_card(rng, 1400)
        arr = ps.flat_scene(rng, doc, 1600, 1200, "plain", 0.8, 1, 0.02)
        data, mime = wm.stamp_bytes(ps.jpeg(arr), color=color, opacity=0.4)
        assert mime == "image/jpeg"
        verdicts.append(wm.check_watermark(np.asarray(load_photo(data, max_side=1280).image)).verdict)
    assert verdicts == ["exact"] * 3


def _verdict(s: ps.Sample) -> str:
    return wm.check_watermark(np.asarray(load_photo(s.data, max_side=1280).image)).verdict


@pytest.mark.ocr
def test_given_the_watermark_set_when_judged_then_no_wrong_is_exact(watermark_samples):  # noqa: F811
    table = collections.Counter()
    worst = []
    for s in watermark_samples:
        got = _verdict(s)
        # Scored on overlays a person reads easily (see photoset.LEGIBLE_CONTRAST); an
        # illegible one must still never pass as exact.
        truth = s.watermark if s.info.get("legible", True) else "illegible"
        table[(truth, got)] += 1
        if s.watermark != "exact" and got == "exact":
            worst.append((s.name, s.watermark_text))
    assert not worst, worst

    def share(truth: str) -> float:
        total = sum(n for (t, _), n in table.items() if t == truth)
        return table[(truth, truth)] / total

    # A photo without a watermark is not accused of one; a wrong one is caught.
    assert share("none") >= 0.9, table
    assert share("wrong") >= 0.9, table
    # Known limit (see the README): a grey line's end character over a busy desk is still lost
    # at times (exact 17/18 and overall 0.98 on this seed; other seeds reach 0.90-0.98).
    assert share("exact") >= 0.94, table
    legible = sum(n for (t, _), n in table.items() if t != "illegible")
    right = sum(n for (t, g), n in table.items() if t == g)
    assert right / legible >= 0.97, table


@pytest.mark.ocr
def test_given_look_alike_watermarks_then_none_is_exact(lookalike_samples):  # noqa: F811
    got = [(s.name, s.info["legible"], _verdict(s)) for s in lookalike_samples]
    assert not [g for g in got if g[2] == "exact"], got
    # Legible ones are all judged wrong; an illegible one may be none.
    assert all(v == "wrong" for _, legible, v in got if legible), got


@pytest.mark.ocr
def test_given_subtle_wrong_watermarks_then_none_is_exact(subtle_samples):  # noqa: F811
    """One character missing or swapped, words reordered or added, a prefix, a suffix, a piece."""
    got = [(s.name, s.info["wm"], s.info["legible"], _verdict(s)) for s in subtle_samples]
    assert not [g for g in got if g[3] == "exact"], got
    # Nor passed as no watermark at all (a prefix line level with the print once was).
    assert all(g[3] == "wrong" for g in got if g[2]), got


def test_given_a_line_lacking_the_phrase_start_then_its_strip_reaches_out_to_where_it_would_be():
    # "办理中国版权保护中心各项申请使用" lacks "仅供": the strip reads two characters further back.
    line = wm.OcrLine(text="办理中国版权保护中心各项申请使用", score=0.9,
                      box=np.array([[100, 100], [1700, 100], [1700, 200], [100, 200]], np.float32),
                      angle=0.0, height=100, length=1600, cx=900, cy=150)
    before, after = wm.strip_reach([line])
    assert before == pytest.approx(2.6) and after == wm.STRIP_REACH
    before, after = wm.strip_reach([line], wm.EDGE_REACH)
    assert before == pytest.approx(2 + wm.EDGE_REACH) and after == pytest.approx(wm.EDGE_REACH)
    # Other words get no more than the usual reach.
    other = replace(line, text="仅供办理银行开户使用其他用途无效")
    assert wm.strip_reach([other]) == (wm.STRIP_REACH, wm.STRIP_REACH)
    assert wm.strip_reach([other], wm.EDGE_REACH) == pytest.approx((wm.EDGE_REACH, wm.EDGE_REACH))


def test_given_strokes_lighter_or_darker_than_a_desk_then_the_departure_shows_both_dark():
    strip = np.full((60, 240, 3), (90, 60, 40), np.uint8)  # a dark wood desk
    strip[20:40, 20:30] = (150, 120, 140)  # a lighter (grey overlay) stroke
    strip[20:40, 120:130] = (40, 30, 120)  # a bluer, darker one
    dep = wm.departure(strip)
    assert dep[30, 25] < 120 and dep[30, 125] < 120
    assert dep[5, 200] > 230  # the desk itself stays blank
    assert (wm.departure(np.full((60, 240, 3), 200, np.uint8)) == 255).all()


def test_given_a_grey_stroke_over_a_wood_desk_then_its_lost_saturation_shows_but_the_grain_does_not():
    strip = np.full((60, 300, 3), (235, 235, 230), np.uint8)  # paper
    strip[:, 150:] = (190, 135, 80)  # a light wood desk beside the card
    strip[:, 150:][::6] = (95, 55, 25)  # its dark grain: another shade of the same colour
    grey = np.array([128, 128, 128], np.float32)
    for x0 in (60, 220):  # one grey stroke at 40 % over the paper, one over the wood
        patch = strip[20:40, x0:x0 + 10].astype(np.float32)
        strip[20:40, x0:x0 + 10] = (0.6 * patch + 0.4 * grey).astype(np.uint8)
    fade = wm.desaturation(strip)
    assert fade[30, 225] < 180  # the stroke over the wood
    assert fade[5:15, 160:290].min() > 240 and fade[48:58, 160:290].min() > 240  # the grain
    assert fade[30, 65] == 255  # paper carries no saturation to lose: left to the departure
    ends = wm.end_strokes(strip)
    assert ends[30, 225] < 180 and ends[30, 65] < 200
    assert ends[5:15, 160:290].min() > 240


def test_given_a_faint_grey_stroke_over_a_strongly_coloured_ground_then_its_loss_is_a_full_stroke():
    # A grey line at 31 % over a purple wall behind a hand-held card (fresh seed 11207, photo
    # 21) takes only about a fifth of the purple's saturation; the strip's own strongest loss
    # is what a full stroke is there, where the wood's halving would leave it pale.
    strip = np.full((60, 300, 3), (125, 90, 180), np.uint8)
    grey = np.array([110, 110, 110], np.float32)
    for x0 in range(40, 260, 20):
        patch = strip[20:40, x0:x0 + 5].astype(np.float32)
        strip[20:40, x0:x0 + 5] = (0.69 * patch + 0.31 * grey).astype(np.uint8)
    fade = wm.desaturation(strip)
    assert fade[30, 42] < 130
    assert fade[5:15].min() == 255 and fade[30, 50] == 255  # the purple itself


def test_given_grey_strokes_over_a_wavy_desk_then_the_desk_layer_shows_them_and_not_the_waves():
    rgb = np.full((400, 600, 3), (150, 95, 45), np.uint8)  # a wood desk
    yy = np.arange(400)[:, None] + 6 * np.sin(np.arange(600)[None, :] / 15)
    rgb[(yy % 8) < 3] = (80, 50, 22)  # its wavy grain: a darker shade of the same colour
    rgb[250:, :] = (235, 235, 230)  # the card's paper
    grey = np.array([128, 128, 128], np.float32)
    for x0 in (100, 300):  # grey strokes at 40 %, one over the desk, one over the paper
        for y0 in (100, 280):
            patch = rgb[y0:y0 + 30, x0:x0 + 6].astype(np.float32)
            rgb[y0:y0 + 30, x0:x0 + 6] = (0.6 * patch + 0.4 * grey).astype(np.uint8)
    desk = wm.desk_layer(rgb)
    assert desk is not None
    assert np.median(desk[105:125, 101:105]) < 120  # the stroke over the desk, over grain and all
    assert np.percentile(desk[20:80, 200:280], 95) > 230  # the grain alone
    assert (desk[260:, :] == 255).all()  # paper shows nothing: the overlay layer reads it there
    # A photo mostly neutral (a card on a grey desk) has no desk to read.
    assert wm.desk_layer(np.full((400, 600, 3), 200, np.uint8)) is None


def test_given_soft_readings_then_the_strict_judge_lets_only_sure_ones_outvote_a_change():
    # The desk layer's readings of grey tiles 仪供办理… over wood (look-alike seed 559, photo
    # 24): 仪 in doubt in four tiles, 仅 in doubt in three and surely in one. As many readings
    # of the phrase's character as of a change read only in doubt outvote it, but not there.
    sure = "1" * len(wm.OFFICIAL)
    doubted = "0" + sure[1:]
    lookalike = [wm.Reading("仪" + wm.OFFICIAL[1:], doubted)] * 4
    right = [wm.Reading(wm.OFFICIAL, doubted)] * 3 + [wm.Reading(wm.OFFICIAL, sure)]
    assert wm.judge(lookalike + right)[0] == "exact"
    assert wm.judge(lookalike + right, strict=True)[1] == "difference ~仪 at 仅 read 4x (4 in doubt), right 4x"
    # Sure right readings outnumbering a one-off misreading two to one still outvote it.
    slip = [wm.Reading(wm.OFFICIAL, sure)] * 2 + [wm.Reading(wm.OFFICIAL[:14] + "电" + wm.OFFICIAL[15:], sure)]
    assert wm.judge(slip, strict=True)[0] == "exact"
    assert wm.judge(slip[1:], strict=True)[0] == "wrong"


def test_given_one_character_read_as_another_in_doubt_then_the_layer_weighs_in_at_that_place_only():
    # Fresh 12106/10, tiles 仅供办理申国…: 申 read for 中 once, in doubt, between 理 and 国.
    assert wm._changed_places(wm.Reading("供办理申国版权", "1110111")) == {4}
    # Read surely, it is weighed as the photo's readings weigh it (a look-alike read surely
    # twice needs three sure right readings each). A tile's end misread (where it meets print
    # or a desk) or a garbled reading of print and tile is no such change either: the photo is
    # not sent to the layer for it.
    assert wm._changed_places(wm.Reading("供办理申国版权", "1111111")) == set()
    assert wm._changed_places(wm.Reading("户中心各项申请", "0111111")) == set()
    assert wm._changed_places(wm.Reading("仅保心各项中请使用", "000110111")) == set()
    assert wm._changed_places(wm.Reading(wm.OFFICIAL, "0" * 18)) == set()
    # The layer, read for that place, counts there only: reading the look-alike in most tiles
    # it keeps the change, reading the phrase's character it outvotes it, and what it misreads
    # elsewhere (力 for 办) is not weighed.
    photo = [wm.Reading(wm.OFFICIAL)] * 3 + [wm.Reading("供办理申国版权", "1110111")]
    lookalike = [wm.Reading("办理申国版权", "110111")] * 4
    assert wm._change_outvoted(photo, lookalike, {4}) == "difference ~申 at 中 read 5x (5 in doubt), right 3x"
    right = [wm.Reading("供力理中国版权", "1011111")] * 2
    assert wm._change_outvoted(photo, right, {4}) is None


def test_given_a_red_line_whose_ends_lie_over_a_wood_desk_then_its_ends_come_from_its_hue():
    # A red line's first and last characters over a wood desk (fresh 11405/39, 11205/45): red
    # over wood adds colour rather than taking it, so no loss of saturation showed them there.
    strip = np.full((60, 400, 3), (150, 95, 45), np.uint8)  # a wood desk
    strip[::6] = (105, 65, 30)  # its grain: a darker shade of the same colour
    strip[:, 100:300] = (235, 235, 230)  # the card's paper
    red = np.array([220, 40, 40], np.float32)
    for x0 in range(20, 400, 40):  # red strokes at 35 %, on the desk at both ends and on the paper
        patch = strip[20:40, x0:x0 + 6].astype(np.float32)
        strip[20:40, x0:x0 + 6] = (0.65 * patch + 0.35 * red).astype(np.uint8)
    mixed = np.full((60, 400), 255, np.uint8)
    mixed[20:40, 180:186] = 60  # the layer has a stroke on the paper, and nothing beyond it
    wm._photo_ends(mixed, strip, np.ones((60, 400), bool), (100, 300), 40)
    assert mixed[30, 63] < 120 and mixed[30, 343] < 120  # strokes at both ends
    # The desk's grain, a shade of its own hue, stays light grey at most: no stroke.
    assert mixed[0:15, 0:100].min() > 160 and mixed[45:60, 300:400].min() > 160
    assert (mixed[20:40, 180:186] == 60).all() and mixed[30, 143] == 255  # the paper is the layer's


@pytest.mark.ocr
def test_given_a_red_line_with_its_first_and_last_characters_over_wood_then_it_is_exact():
    sample = watermark_photo(11405, 39)
    assert sample.watermark == "exact" and (sample.info["mode"], sample.info["color"]) == ("single", "red")
    assert _verdict(sample) == "exact"  # it was wrong: "never read: 仅用"


def _written(text: str, size: int = 40) -> tuple[np.ndarray, float]:
    """``text`` in grey on white paper, as an RGB image, and its advance per character."""
    from core.synthetic import font

    f = font(size)
    width = int(f.getlength(text)) + 4 * size
    im = Image.new("RGB", (width, 3 * size), (245, 245, 240))
    ImageDraw.Draw(im).text((2 * size, size), text, font=f, fill=(120, 120, 120))
    return np.asarray(im), f.getlength(text) / len(text)


@pytest.mark.ocr
def test_given_the_phrase_joined_from_two_pieces_then_the_whole_line_must_have_nothing_between_them():
    def pieces(text: str, cut: int, skip: int) -> tuple[np.ndarray, list[wm.OcrLine]]:
        img, step = _written(text)
        # The detector boxed the line in two, leaving out ``skip`` characters at the cut (a word
        # laid over print is not boxed).
        a = _box(text[:cut], 80 + cut * step / 2, 60, cut * step, 50, 0.0)
        rest = len(text) - cut - skip
        b = _box(text[cut + skip:], 80 + (cut + skip) * step + rest * step / 2, 60, rest * step, 50, 0.0)
        for line in (a, b):
            line.is_watermark = True
        return np.ascontiguousarray(img[:, :, ::-1]), [a, b]

    cut = wm.OFFICIAL.index("护")
    img, lines = pieces(wm.OFFICIAL[:cut] + "的" + wm.OFFICIAL[cut:], cut, 1)
    assert [str(r) for r in wm.stitch(lines)] == [wm.OFFICIAL]
    assert not wm._stitch_confirmed(lines, img)
    img, lines = pieces(wm.OFFICIAL, cut, 0)
    assert wm._stitch_confirmed(lines, img)


def test_given_readings_of_one_line_then_only_characters_between_the_phrases_are_inserted():
    assert wm._inserted(wm.OFFICIAL.replace("保", "保的"))
    assert not wm._inserted(wm.OFFICIAL) and not wm._inserted(wm.OFFICIAL.replace("保", "呆"))
    assert not wm._inserted("复印件" + wm.OFFICIAL)  # a prefix is judged as one, not here


def test_given_a_column_of_labels_read_across_the_rows_on_the_layer_then_it_is_print_not_overlay():
    doc = (1.0, 40.0)
    # An ID card's labels 姓名 / 性别 / 出生 / 住址, stacked, read down the column.
    column = _line("姓性出住", 88.0, 40, 160)
    assert wm._overlay_only([column], doc) == []
    # Other words laid at 40 degrees, or the phrase at right angles, are overlay.
    words = _line("仅供银行开户", 40.0, 40, 240)
    phrase = _line("中国版权保护中心", 89.0, 40, 320)
    assert wm._overlay_only([words, phrase], doc) == [words, phrase]


def test_given_a_ruled_line_read_in_several_places_on_the_layer_then_it_is_not_tiles():
    doc = (1.0, 40.0)
    # A licence's red double frame under red tiles, read as 二二 three times (fresh 10604/23).
    frame = [_line("二二", 1.0, 40, 80) for _ in range(3)]
    assert wm._overlay_only(frame, doc) == []
    # Short words repeated are tiles' pieces, and stay overlay.
    words = [_line("开户", 1.0, 40, 80) for _ in range(2)]
    assert wm._overlay_only(words, doc) == words


def test_given_a_long_number_or_ruled_line_along_the_print_on_the_layer_then_it_is_print():
    doc = (2.0, 24.0)
    # An ID card's number, a licence's date and credit code, a form's ruled line (9607/23, 9501/45,
    # 9704/21): left on the layer of a coloured overlay, read along the print, and long.
    remains = [_line(text, 2.4, 24, 24 * len(text)) for text in
               ("624097910416109", "20050627", "91350100M000100Y43", "三三三三三三三三三")]
    assert wm._overlay_only(remains, doc) == []
    # Long overlay words laid along the print stay overlay, Latin letters and a year included.
    words = [_line(text, 2.4, 40, 40 * len(text)) for text in
             ("FOR CPCC USE ONLY", "仅供办理银行开户使用", "复印件再复印无效2024年")]
    assert wm._overlay_only(words, doc) == words
    # Across the print a number is not print's remains: an overlay's digits are kept.
    tilted = _line("20050627", 35.0, 40, 320)
    assert wm._overlay_only([tilted], doc) == [tilted]


def test_given_a_date_written_out_along_the_print_on_a_layer_without_the_phrase_then_it_is_print():
    doc = (0.0, 38.0)
    # A licence's date of issue printed over its frame's lower rules, which the photo's detector
    # never boxed; the layer read it as 2311年4月20日 (fresh 12306/40, a scan with no watermark).
    dates = [_line(text, -0.8, 50, 50 * len(text)) for text in ("2311年4月20日", "2016年04月")]
    assert wm._overlay_only(dates, doc) == []
    # With a piece of the phrase on the layer, a date is other words: one stamped after the
    # phrase and boxed apart must not leave it exact.
    tile = _line("中国版权保护中心各项申请使用", -0.8, 40, 560)
    date = _line("2024年5月1日", -0.8, 40, 400)
    assert wm._overlay_only([tile, date], doc) == [tile, date]
    # Across the print, or with other words, a date is overlay.
    tilted = _line("2024年5月1日", 30.0, 40, 400)
    words = _line("有效期至2024年5月1日", -0.8, 40, 560)
    assert wm._overlay_only([tilted, words], doc) == [tilted, words]


def test_given_one_big_line_pulling_the_direction_its_way_then_the_words_read_set_it():
    # A dim licence's print is too faint to count as crisp; the big line, weighed by its length,
    # set the first estimate to its own direction (9501/45), so the print was read as overlay.
    def box(text: str, angle: float, contrast: float) -> wm.OcrLine:
        line = _line(text, angle, 24, 24 * len(text), contrast=contrast)
        line.ink = 0.1
        return line

    line = box("护中心各项申请使用", -12.2, 0.57)
    words = [box("统一社会信用代码", 1.5, 0.39), box("有限责任公司", 1.0, 0.44), box("河南省郑州市金水区", 1.7, 0.41)]
    first = (-12.2, 54.0)
    assert wm.direction_after_reading(first, [line] + words)[0] == pytest.approx(1.5, abs=0.5)
    # Two words are too few, and with no line of the phrase read there is nothing to overrule.
    assert wm.direction_after_reading(first, [line] + words[:2]) == first
    assert wm.direction_after_reading(first, words) == first


def test_given_a_strips_ground_then_only_light_neutral_paper_is_paper():
    ground = np.zeros((20, 500, 3), np.uint8)
    ground[:, :100] = (238, 236, 230)  # licence paper
    ground[:, 100:200] = (230, 240, 250)  # an ID card's light blue
    ground[:, 200:300] = (222, 170, 140)  # the holder's skin
    ground[:, 300:400] = (60, 58, 56)  # a dark desk
    ground[:, 400:] = (200, 120, 170)  # a pink shirt
    inside = np.ones(ground.shape[:2], bool)
    paper = wm._paper_ground(ground, inside)
    assert paper[:, :200].all()
    assert not paper[:, 200:].any()
    # Blank beyond the photo's edge (white, as a level strip fills it) is not paper.
    inside[:, :50] = False
    assert not wm._paper_ground(ground, inside)[:, :50].any()


def test_given_a_strip_then_the_documents_paper_spans_from_its_first_to_its_last_paper_column():
    paper = np.ones((10, 600), bool)
    paper[:, :100] = False  # a desk before the card
    paper[:, 300:400] = False  # the portrait on it
    paper[:, 580:] = False  # the holder's sleeve after it
    paper[:2, 50:60] = True  # a light speck on the desk is no paper
    assert wm._paper_span(paper) == (100, 580)
    assert wm._paper_span(np.zeros((10, 600), bool)) is None


@pytest.mark.ocr
@pytest.mark.parametrize("size", [60, 61, 62])
def test_given_a_grey_line_starting_over_a_dark_desk_then_its_strip_reads_that_stretch_from_the_photo(size):
    from core.synthetic import watermark

    photo = np.full((320, 1300, 3), (240, 238, 232), np.uint8)
    photo[:, :420] = (110, 80, 80)  # a dark desk beside the card, under the phrase's first words
    photo = watermark(photo, wm.OFFICIAL, mode="single", color=(128, 128, 128), opacity=0.45, angle=0.0,
                      size=size)
    layer = wm.overlay_layer(photo)
    grey = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)
    hsv = cv2.cvtColor(photo, cv2.COLOR_RGB2HSV)
    read = wm._read(layer, wm._boxes(wm.detect(layer, wm.DET_SIDE), grey, hsv), "layer")
    for line in read:
        line.is_watermark = True
    # The layer, whose paper level over the desk is the lighter overlay itself, garbles the
    # characters there, though it boxes them: the line has no end beyond the box to re-read.
    assert read and not any("办理中国" in ln.text for ln in read)
    assert wm.reread_lines(layer, read, photo)[0][-1] == wm.OFFICIAL


@pytest.mark.ocr
def test_given_a_big_line_joined_to_a_label_it_crosses_then_the_layer_boxes_its_main_line():
    from core.synthetic import font, watermark

    layer = watermark(np.full((960, 1280, 3), 255, np.uint8), wm.OFFICIAL, mode="single",
                      color=(120, 120, 120), opacity=0.8, angle=31, size=60)
    label = Image.new("L", (400, 80), 0)
    ImageDraw.Draw(label).text((5, 5), "公民身份号码", font=font(48, 2), fill=255)
    card = Image.fromarray(layer)
    card.paste((110, 110, 110), (100, 650), label)  # the line's first characters cross it
    grey = cv2.cvtColor(np.asarray(card), cv2.COLOR_RGB2GRAY)

    boxes, bands = wm.detect_with_bands(grey, wm.DET_SIDE)
    # The detector's own post-processing drops the joined region: its rectangle is mostly empty.
    assert not any("中国版权" in t for t, _ in wm.recognise(grey, boxes))
    assert any("中国版权保护中心各项申请使用" in t for t, _ in wm.recognise(grey, bands()))
    # A line nothing crosses is boxed, and has no band.
    boxes, bands = wm.detect_with_bands(cv2.cvtColor(layer, cv2.COLOR_RGB2GRAY), wm.DET_SIDE)
    assert len(boxes) == 1 and not bands()


def test_given_one_line_misread_alike_on_the_layer_then_rescued_only_where_the_photo_reads_it():
    # The layer lost strokes of "申" (hair of the portrait) in every reading, leaving the
    # recogniser in doubt there; the photo's own readings, worse elsewhere for the print
    # crossing them, read "项申请" there.
    layer = [_doubtful("仅供办理中国版权保护中心各项中请使用", "中")] * 3
    photo = ["仅供办理通款保护中心各项申请使用", "仅供办理中国版权保护中心各项申请使用", "办理中国版中心各项申请使"]
    assert wm.rescue(layer, photo)
    # One photo reading is not enough, and none may read another character there.
    assert not wm.rescue(layer, photo[:1] + ["仅供办理中国版中心各项请使用"])
    assert not wm.rescue(layer, photo + ["仅供办理中国版权保护中心各项由请使用"])
    # A look-alike read as itself on the photo is never rescued.
    lookalike = [wm.OFFICIAL.replace("请", "清")] * 3
    assert not wm.rescue(lookalike, [wm.OFFICIAL.replace("请", "清")] * 2 + [wm.OFFICIAL])
    # An extra character or word, inside or beyond the ends, is never a slip.
    for runs in (["仅供办理中国版权保护中心各项申请使用用"] * 3, ["复印件" + wm.OFFICIAL] * 3,
                 ["仅供办理中国版权保护中心的各项申请使用"] * 3):
        assert not wm.rescue(runs, [wm.OFFICIAL] * 3), runs
    # Nor are more than RESCUE_PLACES places.
    assert not wm.rescue(["仅共办理中国版权保护中心各场丰请使用"] * 3, [wm.OFFICIAL] * 3)
    # A place two layer readings read surely as the same other character is what the overlay
    # says ("便" for "使"), however the photo's readings, expecting "使", read it.
    sure = [wm.Reading(wm.OFFICIAL.replace("使", "便"))] * 3
    assert not wm.rescue(sure, [wm.OFFICIAL] * 3)
    assert wm.rescue([_doubtful(str(sure[0]), "便")] * 3, [wm.OFFICIAL] * 3)


def test_given_a_coloured_stroke_over_print_and_wood_then_only_the_stroke_shows_on_the_chroma_strip():
    strip = np.full((60, 300, 3), (235, 235, 230), np.uint8)  # paper
    strip[:, 200:] = (150, 100, 60)  # a wood desk beside the card
    strip[:, 200:][:, ::6] = (110, 70, 40)  # its grain: darker lines, the same hue
    strip[25:35, 40:80] = (30, 30, 30)  # black print
    red = np.array((215, 35, 35), np.float32)
    for x0 in (100, 130, 240, 270):  # red overlay strokes (45 %) over paper and over the desk
        under = strip[15:45, x0:x0 + 8].astype(np.float32)
        strip[15:45, x0:x0 + 8] = (0.55 * under + 0.45 * red).astype(np.uint8)
    shown, strength = wm.chroma_shift(strip)
    assert strength > wm.CHROMA_MIN
    assert shown[30, 104] < 130 and shown[30, 244] < 130  # the stroke, over paper and over wood
    assert shown[30, 60] > 220  # the print is gone
    assert shown[5, 206] > 220 and shown[5, 150] > 220  # so are the grain and the paper
    # A grey strip has no chroma to speak of.
    assert wm.chroma_shift(np.full((60, 300, 3), 120, np.uint8))[1] < wm.CHROMA_MIN


def test_given_readings_with_two_characters_beyond_the_phrase_then_extra_words():
    assert wm._extra_words(["复印" + wm.OFFICIAL, wm.OFFICIAL])
    assert wm._extra_words([wm.OFFICIAL[3:] + "无效"])
    # Characters lost or misread inside the phrase are not words beyond it.
    assert not wm._extra_words([wm.OFFICIAL[1:-1], wm.OFFICIAL.replace("申", "自")])


@pytest.mark.ocr
@pytest.mark.parametrize("seed", [0, 1])
def test_given_one_line_of_other_words_nearly_level_with_the_print_then_wrong_not_none(seed):
    # Boxed and read like print: it lies across the lines of print, a few degrees off them,
    # which print never does.
    rng = np.random.default_rng(seed)
    card = ps.flat_scene(rng, ps.draw_id_card(rng, 1500), 1600, 1200, "plain", 0.85, 0, 0.0)
    arr = ps.watermark(card, "ONLY FOR COPYRIGHT PROTECTION CENTER", mode="single", color=ps.COLORS["blue"],
                       opacity=0.45, angle=5 + seed, size=40, rng=rng)
    report = wm.check_watermark(np.asarray(load_photo(ps.jpeg(arr), max_side=1280).image))
    assert report.verdict == "wrong", report


@pytest.mark.ocr
@pytest.mark.parametrize("seed,index,mode,verdict", [
    # A big red line of other words, boxed on the photo with two lines of print into one box
    # three lines tall, which then "explained" the line found on the overlay layer as print.
    (9091, 10, "single", "wrong"),
    # Blue tiles over a hand-held card: their boxes outnumber the card's print, so the
    # document's direction came out as theirs, and the print read as tilted overlay words.
    (9091, 5, "tiled", "exact"),
    # "SAMPLE" tilted 16 degrees across a line of print was dropped as that print's remains.
    (4321, 2, "single", "wrong"),
    # A grey line whose last character "用" lies half over the wood desk: lost on the layer
    # (whose paper level there is the grain), read on the desk's loss of colour.
    (8080, 7, "single", "exact"),
    # Blue tiles over an ID card, one read across its blue label 公民身份号码 ("使用公民身份号G中国").
    (9404, 7, "tiled", "exact"),
    # A blue line at 31 degrees joined on the layer to the label 公民身份号码 it crosses: the
    # detector dropped the joined region, and the photo was judged to have no watermark.
    (9605, 25, "single", "exact"),
    # Grey tiles "…使用他用无效" over an ID card on a wood desk, judged exact on the photo: the
    # suffix lies over the desk in both tiles that reach the phrase's end, and only "使用他" of
    # it was read, once. The layer, read since, reads "各项申清使用他用无效".
    (10206, 30, "tiled", "wrong"),
    # Blue tiles over a dim licence, read well on the photo, but its title crossed by a tile
    # read as a line of its own: "other words: 营业执照".
    (11403, 9, "tiled", "exact"),
    # A blue 与原件一致 over a scan, twice the print's height and 7.6 degrees off its rows: read
    # well on the layer but dropped there as print's remains, judged none.
    (11501, 46, "single", "wrong"),
    # A licence on a wood desk with no watermark, whose grain the layer read as III six times:
    # kept as tiles, judged "other words".
    (11604, 8, None, "none"),
    # Red tiles on a wood desk, read on the photo but for a date of birth read inside a tile's
    # phrase; the layer read 办 as 中 once, in doubt, and right once: judged wrong.
    (11701, 7, "tiled", "exact"),
    # Red tiles on a wood desk; the layer read 各 as 名 once, in doubt, and right once, where the
    # photo read it right, surely, in two tiles: judged wrong.
    (11701, 9, "tiled", "exact"),
    # Grey tiles over an ID card on a wavy wood desk: the detector boxes none of the tiles over
    # the desk, and on the card 申 was read 电 once against once right. Read on the desk's loss
    # of colour, the tiles over the desk settle it.
    (11904, 23, "tiled", "exact"),
    # Faint red tiles 仅供办理申国… (中 swapped for its look-alike 申) over an ID card on a wood
    # desk, judged exact on the photo: 申 read once in doubt, 中 in four tiles, three of them
    # surely. The layer, read since a tile read 申 between two characters read right, reads 申.
    (12106, 10, "tiled", "wrong"),
    # Blue tiles read well on the photo but for 中 for 申 in doubt in one tile, for which the
    # layer is read (see 12106/10); the layer, faint there, reads the tiles poorly, and judged
    # on its own was wrong. Read for that one change, its readings count at that place only.
    (11407, 9, "tiled", "exact"),
    # A licence scan with no watermark: its date of issue, printed over the frame's lower rules,
    # never boxed on the photo, read on the layer as 2311年4月20日 and judged other words.
    (12306, 40, None, "none"),
])
def test_given_fresh_photos_once_misjudged_then_judged_right(seed, index, mode, verdict):
    sample = watermark_photo(seed, index)
    assert sample.watermark == verdict and sample.info.get("mode") == mode
    assert _verdict(sample) == verdict


@pytest.mark.ocr
@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="open (stop 35): the photo's readings never show the look-alike")
def test_given_look_alike_tiles_the_photo_reads_as_the_phrase_in_every_tile_then_still_wrong():
    # Fresh 12802/27: red tiles 仅供办理申国… over a licence on a wood desk. The photo's readings
    # take 申 for 中 in all four tiles reaching that place and read no change, even in doubt, so
    # the overlay layer, which reads 申国 surely in two tiles, is never read: judged exact. A
    # wrong watermark judged exact, the worst error; strict, so a fix shows up as a pass.
    sample = watermark_photo(12802, 27)
    if sample.info.get("wm") != "lookalike" or "申国" not in (sample.watermark_text or ""):
        pytest.fail(f"not the look-alike photo: {sample.name}")
    assert _verdict(sample) == "wrong"


def test_given_tiles_outnumbering_the_print_then_the_print_read_sets_the_direction():
    def box(text: str, angle: float, ink: float, contrast: float = 0.8) -> wm.OcrLine:
        line = _line(text, angle, 40, 300, contrast=contrast)
        line.ink = ink
        return line

    tiles = [box(wm.OFFICIAL[i:i + 9], 15.0, 0.0) for i in range(6)]
    printed = [box("公民身份号码", 0.0, 0.6), box("出生1994年10月", 1.5, 0.5), box("住址浙江省", -1.0, 0.4),
               box("号24栋1418室", 0.5, 0.5)]
    first = (15.0, 40.0)  # swayed by the tiles' boxes before anything was read
    assert wm.direction_after_reading(first, tiles + printed)[0] == pytest.approx(0.5, abs=1.5)
    # Two lines of print are not enough to overrule it, and other words without ink are no print.
    assert wm.direction_after_reading(first, tiles + printed[:2]) == first
    others = [box("仅供办理银行开户使用", 30.0, 0.0) for _ in range(5)]
    assert wm.direction_after_reading((0.0, 40.0), others + printed[:2]) == (0.0, 40.0)


def test_given_a_coloured_overlay_across_a_small_cards_print_then_its_words_set_the_direction():
    # The overlay crossing the print leaves it neither ink-dark nor crisp: no three lines of
    # print pass document_direction, but three words read at the card's angle, no fainter than
    # print, overrule an estimate that is the phrase's own direction.
    def box(text: str, angle: float, contrast: float) -> wm.OcrLine:
        line = _line(text, angle, 40, 300, contrast=contrast)
        line.ink = 0.0
        return line

    tiles = [box(wm.OFFICIAL[i:i + 9], 27.0, 0.08) for i in range(5)]
    words = [box("性别男民族苗", -2.1, 0.39), box("出生2004年8月26日", -2.4, 0.3), box("门内大街210号", -3.5, 0.63)]
    first = (26.4, 50.0)
    assert wm.direction_after_reading(first, tiles + words)[0] == pytest.approx(-2.4, abs=1.0)
    # Words as faint as an overlay are a second overlay's, not print; two words are too few.
    faint = [replace(w, contrast=0.1) for w in words]
    assert wm.direction_after_reading(first, tiles + faint) == first
    assert wm.direction_after_reading(first, tiles + words[:2]) == first
    # An ID card's two-character labels (姓名, 住址: boxes 56 px high, under 2 heights long, as
    # on a photo of seed 9006) are words too.
    labels = [box("公民身份号码", -1.3, 0.46)]
    for text, angle in (("姓名", -2.9), ("住址", -4.7)):
        labels.append(replace(box(text, angle, 0.40), height=56.0, length=100.0))
    assert wm.direction_after_reading(first, tiles + labels)[0] == pytest.approx(-3.0, abs=2.0)
    assert wm.direction_after_reading(first, tiles + labels[:2]) == first
    # Nor is an estimate that is not the phrase's direction overruled by mere words.
    assert wm.direction_after_reading((-30.0, 40.0), tiles + words) == (-30.0, 40.0)


def test_given_layer_lines_read_barely_then_other_words_dropped_but_the_phrase_kept():
    def read(text: str, score: float) -> wm.OcrLine:
        line = _line(text, 30.0, 40, 400)
        line.score = score
        return line

    kept = wm._overlay_only([read("1905053025", 0.52), read("产中各项丰藏器", 0.55),
                             read("仅供办理中国版权保护中", 0.55), read("仅供办理银行开户使用", 0.95)], (0.0, 40.0))
    assert [ln.text for ln in kept] == ["仅供办理中国版权保护中", "仅供办理银行开户使用"]


def test_given_a_tile_running_on_into_the_next_with_its_first_characters_lost_then_not_words_after_it():
    # "使用仅供办理中国" read "使中理中国": as cheap to align as words after the phrase, but it is
    # the phrase running on, and is outvoted; a real suffix stays words after the phrase.
    run = "护中心各项申请使用仅供办理中国版保中心各项申请使中理中国"
    assert wm.judge([run] + [wm.OFFICIAL] * 4)[0] == "exact"
    assert wm.judge([wm.OFFICIAL[5:] + "有效期三个月"] + [wm.OFFICIAL] * 4)[0] == "wrong"


def test_given_a_reading_across_four_tiles_then_its_first_tile_end_is_not_words_before_the_phrase():
    # A fresh photo's tile (10107, 15) read over more than three copies of the phrase: aligned
    # with only three, its first tile's end "请使用" was left over as words before the phrase.
    run = wm.OFFICIAL[-3:] + wm.OFFICIAL * 2 + wm.OFFICIAL[:15]
    dist, ops = wm.align(run)
    assert dist == 0 and all(op == "=" for op, _, _ in ops)
    assert wm.judge([run] + [wm.OFFICIAL] * 3)[0] == "exact"
    # Words before the phrase stay words, however many tiles a reading spans.
    prefixed = "复印件" + wm.OFFICIAL * 3
    assert wm.judge([prefixed] + [wm.OFFICIAL] * 3)[0] == "wrong"


def test_given_places_of_the_phrase_never_read_then_the_report_names_them_and_only_then():
    def report(runs: list[str]) -> wm.WatermarkReport:
        verdict, reason = wm.judge(runs)
        return wm.WatermarkReport(verdict=verdict, text=" / ".join(runs), runs=runs,
                                  reason=f"{reason} (read on the overlay layer)")

    assert report([wm.OFFICIAL[:-1]] * 4).unread == "用"
    assert report([wm.OFFICIAL.replace("各项", "")] * 4).unread == "各项"
    apart = [wm.OFFICIAL[:10], wm.OFFICIAL[10:]] * 2  # 护 and 中 each read, never together
    assert report(apart).unread == "护中"
    # A look-alike in every tile: the phrase's own character is read nowhere.
    assert report([wm.OFFICIAL.replace("请", "清")] * 4).unread == "请"
    # Other verdicts name no place: words added, a look-alike read among right readings, exact.
    assert report([wm.OFFICIAL + "有效期三个月"] * 4).unread is None
    assert report([wm.OFFICIAL.replace("请", "清")] * 2 + [wm.OFFICIAL] * 2).unread is None
    assert report([wm.OFFICIAL] * 4).unread is None
    assert report([]).unread is None


def test_given_a_line_stamped_half_over_print_then_the_character_map_tells_which_characters_lie_on_paper():
    from core.synthetic import CHAR_SLOTS, font, watermark

    paper = np.full((300, 1300, 3), 244, np.uint8)
    printed = paper.copy()
    size = 60
    start = (1300 - font(size, 2).getlength(wm.OFFICIAL)) / 2
    printed[:, : int(start + 2 * size)] = 30  # dark print under the first two characters
    chars: list[np.ndarray] = []
    stamped = watermark(printed, wm.OFFICIAL, mode="single", color=(110, 110, 110), opacity=0.4, angle=12,
                        size=size, chars=chars)
    where = chars[0]
    assert sorted(set(np.unique(where)) - {0}) == list(range(1, len(wm.OFFICIAL) + 1))
    # The map lies on the strokes: nearly every pixel it marks is one the overlay changed.
    assert (np.abs(stamped.astype(int) - printed.astype(int)).sum(axis=2)[where > 0] > 0).mean() > 0.95
    shares = ps.on_paper(printed, where, len(wm.OFFICIAL))
    assert max(shares[:2]) < 0.2 and min(shares[3:]) > 0.9, shares
    assert min(ps.on_paper(paper, where, len(wm.OFFICIAL))) > 0.9
    # Tiles: many copies, and asking for the map changes neither the photo nor what is drawn next.
    first, second = np.random.default_rng(5), np.random.default_rng(5)
    tiles: list[np.ndarray] = []
    with_map = watermark(paper, wm.OFFICIAL, mode="tiled", color=(110, 110, 110), opacity=0.4, angle=-30,
                         size=30, rng=first, chars=tiles)
    without = watermark(paper, wm.OFFICIAL, mode="tiled", color=(110, 110, 110), opacity=0.4, angle=-30,
                        size=30, rng=second)
    assert np.array_equal(with_map, without) and first.random() == second.random()
    assert len(np.unique(tiles[0][tiles[0] > 0] // CHAR_SLOTS)) >= 4


def test_given_a_grey_tile_over_a_dark_desk_then_it_is_read_though_crisp_and_neutral_like_print():
    # Grey tiles over a navy desk are lighter than the desk, crisp and neutral: they were never
    # recognised, taken for print, and a correct watermark was judged `wrong` or `none`
    # (fresh seeds 10003/37, 10101/23). Print lies on the paper.
    img = Image.new("RGB", (1000, 400), (40, 45, 70))
    draw, font = ImageDraw.Draw(img), ps.font(40)
    draw.rectangle((0, 0, 480, 400), fill=(232, 230, 226))
    draw.text((40, 180), "河南省郑州市金水", font=font, fill=(25, 25, 25))
    draw.text((540, 180), "仅供办理中国版权", font=font, fill=(120, 122, 128))
    rgb = np.asarray(img)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    corners = [np.array([[x, 178], [x + 330, 178], [x + 330, 232], [x, 232]], np.float32) for x in (36, 536)]
    found = wm._boxes(corners, grey, hsv, wm.paper_ratio(rgb)[0])
    assert [ln.contrast >= wm.FAINT_LIMIT and ln.ink >= wm.INK_SHARE for ln in found] == [True, True]
    assert wm.print_like(found, (0.0, 54.0)) == [True, False]


def test_given_other_colours_or_font_when_the_set_is_stamped_then_the_overlays_use_them():
    # The bench's probe of overlays the checker was not tuned on (bench/watermark.py --colours).
    green = {"green": (20, 140, 60)}
    stamped = [s for s in ps.watermark_set(31, 4, colours=green) if s.watermark != "none"]
    assert stamped and all(s.info["color"] == "green" for s in stamped)
    rgb = np.asarray(load_photo(stamped[0].data).image).astype(np.int16)
    # Pixels tinted green (the overlay over paper) appear; grey / red / blue ones would not.
    assert ((rgb[..., 1] - np.maximum(rgb[..., 0], rgb[..., 2])) > 25).mean() > 0.001
    with pytest.raises(OSError):
        next(s for s in ps.watermark_set(31, 2, font_file="/nonexistent/font.otf") if s.watermark != "none")


def _layer_lines_of(sample: ps.Sample,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[wm.OcrLine]]:
    """The photo as an upload decodes it, at the size the checker reads, its overlay layer, and
    the overlay's lines read there (nothing taken for print)."""
    photo = np.asarray(load_photo(sample.data, max_side=1280).image)
    rgb = wm.resize_long(photo, wm.OCR_SIDE)
    layer = wm.overlay_layer(rgb)
    grey, hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    return photo, rgb, layer, wm._layer_lines(layer, grey, hsv, [], None)


@pytest.mark.ocr
def test_given_a_layer_speckled_until_the_detector_sees_no_text_then_the_line_is_found_on_it_despeckled(monkeypatch):
    # Fresh 10601/37: a blue line across a licence on a wood desk. On the overlay layer the
    # detector boxes nothing of the line; with the layer's light specks opened out it does.
    sample = watermark_photo(10601, 37)
    assert sample.watermark == "exact" and sample.info["mode"] == "single"
    photo, _, layer, lines = _layer_lines_of(sample)
    raw = [t for t, _ in wm.recognise(layer, wm.detect(layer, wm.DET_SIDE))]
    assert not any(wm.close_to_phrase(t) for t in raw), raw
    assert any(wm.close_to_phrase(ln.text) for ln in lines), [ln.text for ln in lines]
    assert wm.check_watermark(photo).verdict == "exact"
    with monkeypatch.context() as patched:
        patched.setattr(wm, "_despeckled", lambda speckled: speckled)
        assert wm.check_watermark(photo).verdict != "exact"


def test_given_a_latin_word_along_the_print_on_the_layer_then_it_is_overlay():
    doc = (0.8, 28.0)
    # A blue SAMPLE laid 5-6 degrees off an ID card's address (fresh 10701/30, 10204/46): too
    # short for a long line and too level to be tilted, it was dropped as print, judged none.
    sample = _line("SAMPLE", 6.3, 66, 220)
    assert wm._overlay_only([sample], doc) == [sample]
    # Strokes read as one letter repeated, and a credit code, are still print's remains.
    assert wm._overlay_only([_line("IIII", 0.8, 28, 60), _line("M000100Y43", 0.8, 28, 200)], doc) == []


def test_given_three_latin_letters_laid_off_the_print_on_the_layer_then_overlay_but_along_it_print():
    doc = (4.4, 98.0)
    # A blue COPY laid 36 degrees off a licence's print (fresh 11404/18): its Y lies over a line
    # of print, and the layer read COP, which was dropped as too short to have a direction.
    cop = _line("COP", -36.1, 63, 150)
    assert wm._overlay_only([cop], doc) == [cop]
    # Along the print, or with no direction of print to go by, three letters are still too few.
    assert wm._overlay_only([_line("COP", 4.9, 63, 150)], doc) == []
    assert wm._overlay_only([_line("COP", -36.1, 63, 150)], None) == []


def test_given_big_words_a_few_degrees_off_the_print_on_the_layer_then_overlay_but_print_size_is_not():
    doc = (0.0, 44.0)
    # A blue 与原件一致 twice the print's height, 7.6 degrees off a scan's rows (fresh 11501/46):
    # five characters, too few for a long line, and too level to be tilted; judged none.
    big = _line("与原件一致", 7.6, 82, 312)
    assert wm._overlay_only([big], doc) == [big]
    # In letters the size of the print, nearly level with it, a number, or three characters only:
    # print's remains.
    assert wm._overlay_only([_line("与原件一致", 7.6, 44, 220)], doc) == []
    assert wm._overlay_only([_line("与原件一致", 1.5, 82, 312)], doc) == []
    assert wm._overlay_only([_line("20050627", 7.6, 82, 400)], doc) == []
    assert wm._overlay_only([_line("营业执", 5.0, 100, 300)], doc) == []
    # A licence's title is print however big, even tilted a few degrees by the photo's perspective.
    assert wm._overlay_only([_line("营业执照", 4.0, 100, 400)], doc) == []


def test_given_one_latin_letter_or_digit_repeated_on_the_layer_then_it_is_texture():
    doc = (-1.3, 35.0)
    # A wood desk's grain read as III in row after row beside a licence (fresh 11604/8): repeated,
    # they were kept as tiles, and a photo with no watermark was judged "other words: III".
    grain = [_line("III", 0.0, 24, 24) for _ in range(6)] + [_line("000", 0.0, 24, 30)] * 2
    assert wm._overlay_only(grain, doc) == []
    assert wm._junk("IIIIII") and not wm._junk("COP") and not wm._junk("三三三")


@pytest.mark.ocr
def test_given_a_short_latin_word_tilted_over_a_licence_then_it_is_found_and_wrong():
    sample = watermark_photo(11404, 18)
    assert sample.watermark == "wrong" and sample.watermark_text == "COPY"
    assert _verdict(sample) == "wrong"  # it was "none": no overlay found


def test_given_a_strip_crossed_by_a_ruled_line_then_closing_takes_the_line_out_and_keeps_strokes():
    strip = np.full((60, 200, 3), 255, np.uint8)
    strip[:, 40:42] = 90  # a document's frame, 2 px wide
    strip[10:50, 100:105] = 90  # a character's stroke, 5 px wide
    closed = wm._without_rules(strip)
    assert (closed[:, 40:42] == 255).all()
    assert (closed[10:50, 100:105] == 90).all()


@pytest.mark.ocr
def test_given_a_licence_frame_crossing_a_big_lines_first_character_then_its_closed_strip_reads_it():
    # Fresh 10503/37: a grey line whose 仅 lies on a licence's double frame at its corner. The
    # line's re-readings along its strip leave 仅 out; with thin lines closed they read it.
    sample = watermark_photo(10503, 37)
    assert sample.watermark == "exact" and sample.info["mode"] == "single"
    photo, rgb, layer, lines = _layer_lines_of(sample)
    (group,) = wm._long_groups(lines)
    assert group[0].height >= wm.THICK_LINE
    read, closable = wm.reread_lines(layer, lines, rgb)
    closed = wm._read_strips(closable)
    assert read and not any(str(t).startswith("仅") for t in read), read
    assert any(t.startswith("仅供") for t in closed), closed
    # Since print of the overlay's colour leaves the layer (``_opaque_colour``), the layer's own
    # reading of the line has 仅 too, and the photo is exact without the fill.
    assert wm.check_watermark(photo).verdict == "exact"


def test_given_readings_with_thin_lines_closed_then_they_fill_places_never_read_but_never_vote():
    lost = "供办理中国版权保护中心各项申请使用"  # every reading left 仅 out
    assert wm.judge([lost] * 3)[1] == f"{wm.NEVER_READ}: 仅"
    verdict, reason = wm.judge([lost] * 3, fill=[wm.OFFICIAL])
    assert verdict == "exact" and "仅 read only" in reason
    # Closing takes thin parts of strokes away: 申's stem beyond its box reads as 中. A look-alike
    # the readings read in place is weighed against their own right readings only.
    lookalike = "仅供办理申国版权保护中心各项申请使用"
    assert wm.judge([lookalike] * 3, fill=[wm.OFFICIAL] * 6)[0] == "wrong"
    # A character the fill reads in doubt shows nothing.
    doubted = wm.Reading(wm.OFFICIAL, "0" + "1" * (len(wm.OFFICIAL) - 1))
    assert wm.judge([lost] * 3, fill=[doubted]) == wm.judge([lost] * 3)
    # A character two readings left out and one read, the fill reads in place too: it is there.
    left_out = "仅供办理中国版权保护中心各项申请用"
    skipped = [left_out, left_out, "项申请使用仅供"]
    assert wm.judge(skipped)[1].startswith("difference - at 使 read 2x")
    assert wm.judge(skipped, fill=[wm.OFFICIAL])[0] == "exact"
    # Two neighbours the readings read, but never side by side, stay so: closed, a look-alike
    # tile's 申国 reads 中国 (look-alike seed 556, photo 7).
    apart = ["仅供办理中国版权保护中心各项", "申请使用", "申请使用"]
    assert wm.judge(apart)[1] == f"{wm.NEVER_READ} side by side: 项申"
    assert wm.judge(apart, fill=[wm.OFFICIAL]) == wm.judge(apart)


def test_given_tiles_then_only_boxes_as_tall_as_a_big_line_give_closed_crops():
    layer = np.full((300, 600), 255, np.uint8)
    layer[100:160, 50:350] = 150  # a big tile's strokes
    layer[100:160, 200:202] = 60  # crossed by a document's frame
    big = wm._geometry(np.array([[50, 100], [350, 100], [350, 160], [50, 160]], np.float32), "各项申请", 0.9)
    small = wm._geometry(np.array([[400, 20], [520, 20], [520, 45], [400, 45]], np.float32), "使用", 0.9)
    assert big.height >= wm.THICK_LINE > small.height
    (crop,) = wm._closed_boxes(layer, [big, small])
    assert crop.shape[:2] == (60, 300)
    assert (crop[:, 150:152] == 150).all()  # the frame closed, the strokes under it kept


@pytest.mark.ocr
def test_given_big_tiles_with_a_character_left_out_then_their_closed_boxes_read_it_in_place():
    # Fresh 10707/23: big blue tiles over a cloth desk; a reading of the layer left 护 out.
    sample = watermark_photo(10707, 23)
    assert sample.watermark == "exact" and sample.info["mode"] == "tiled"
    photo, _, layer, lines = _layer_lines_of(sample)
    assert any("保心" in ln.text for ln in lines), [ln.text for ln in lines]
    boxes = wm._closed_boxes(layer, lines)
    assert len(boxes) == sum(ln.height >= wm.THICK_LINE for ln in lines) > 0
    assert all(box.shape[1] > box.shape[0] for box in boxes)  # cut level, along the tile
    assert any("护中心" in t for t in wm._read_strips(boxes))
    # The photo's verdict does not rest on 护 (another reading has it in place). The layer's
    # readings are `wrong` for 仅, read as 汉 in doubt once and as 1 in doubt once against one
    # sure 仅: no majority. Nothing on the layer is read surely as another, so the photo's
    # readings of the tiles break that tie (``_doubt_tie_broken``).
    report = wm.check_watermark(photo)
    assert report.verdict == "exact" and "layer's differ only in doubt" in report.reason, report.reason
