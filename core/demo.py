"""Realistic synthetic demo data for stakeholders and the pilot. No real personal data.

``python -m core.demo`` seeds an empty database and prints the demo credentials; on a database
that already has accounts it does nothing. Everything goes through the real services with an
injected clock, so the audit log, messages, due dates and turnaround charts are all consistent:
eight weeks of submissions and decisions (some rejected and resubmitted), a live queue with a few
overdue requests and automatic findings, and named accounts in every state for the walk-through.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from core import accounts, certification, codes, db, filing, review, workdays
from core.clock import CHINA, china_date, utcnow
from core.config import load_settings
from core.models import ADMIN, INDIVIDUAL, INSTITUTION
from core.models import REVIEWER as REVIEWER_ROLE

DEMO_PASSWORD = "Demo2026"
DEMO_REVIEWER = ("shenhe01", "13900000001", "审核员 王静")
DEMO_REVIEWER_2 = ("shenhe02", "13900000002", "审核员 李强")
DEMO_ADMIN = ("admin01", "13900000009", "管理员 赵敏")
HISTORY_APPLICANTS = 64
QUEUE_APPLICANTS = 9
REGIONS = ("110105", "110108", "310104", "440305", "330106", "510107", "420111", "320106",
           "350102", "610113", "410105", "370202", "120101")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚华玉萍红玲燕彬鹏辉建国志文斌宇浩凯健俊帆旭宁欣琳晨雪梅海峰"
COMPANY = (("北京", "星河", "软件技术有限公司"), ("上海", "云图", "信息技术有限公司"),
           ("深圳", "博雅", "数字科技有限公司"), ("杭州", "启明", "网络科技股份有限公司"),
           ("成都", "蓝海", "文化传媒有限公司"), ("武汉", "智联", "科技有限公司"),
           ("南京", "远景", "软件有限公司"), ("西安", "鼎盛", "信息技术有限公司"))
# How many working days a decision took, as a pilot desk really behaves: mostly within 3.
TURNAROUND = (0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 5)
BAD_STYLES = ("blurry", "wrong_wm")
REJECTIONS = (["blurry"], ["blurry"], ["watermark"], ["blurry", "watermark"], ["incomplete"],
              ["mismatch"], ["no_face"], ["expired"], ["licence_not_flat"])


@dataclass(frozen=True)
class LoginHint:
    reviewer: str
    password: str
    applicants: list[str]


def login_hint() -> LoginHint | None:
    """Demo credentials for the log-in page — only in demo mode and only if the seed made them."""
    if not load_settings().demo_mode or accounts.find_account_id(DEMO_REVIEWER[0]) is None:
        return None
    present = [name for name, *_ in FEATURED if accounts.find_account_id(name) is not None]
    return LoginHint(DEMO_REVIEWER[0], DEMO_PASSWORD, present)


# --- people ------------------------------------------------------------------------------------


@dataclass
class Person:
    """A synthetic applicant and what will happen to them."""

    username: str
    phone: str
    identity: str
    form: dict[str, Any]
    photo_style: dict[str, str] = field(default_factory=dict)  # slot → ok | blurry | wrong_wm | exact_wm | copy_of_first
    story: str = "history"  # history | queue | twin | featured story name
    account_id: int | None = None


def _resident_id(rng: random.Random, birth: date, male: bool) -> str:
    from stdnum.cn import ric

    while True:
        sequence = rng.randrange(10, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
        body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{sequence:03d}"
        number = body + ric.calc_check_digit(body + "0")
        # stdnum knows when each region code was in use; a code must fit the birth year.
        if ric.is_valid(number):
            return number


def _credit_code(rng: random.Random) -> str:
    from stdnum.cn import uscc

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + rng.choice(REGIONS) + "".join(rng.choice(alphabet) for _ in range(9)) + "0"
    return body[:-1] + uscc.calc_check_digit(body)


def _person_form(rng: random.Random, today: date, prefix: str = "", name: str | None = None) -> dict[str, Any]:
    birth = date(rng.randrange(1962, 2003), rng.randrange(1, 13), rng.randrange(1, 29))
    male = rng.random() < 0.5
    issued = date(today.year - rng.randrange(1, 9), rng.randrange(1, 13), rng.randrange(1, 29))
    long_term = birth.year < 1975
    return {
        f"{prefix}real_name": name or rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randrange(1, 3))),
        f"{prefix}gender": "male" if male else "female", f"{prefix}birth_date": birth.isoformat(),
        f"{prefix}id_type": "resident_id", f"{prefix}id_number": _resident_id(rng, birth, male),
        f"{prefix}id_valid_from": issued.isoformat(),
        f"{prefix}id_valid_to": None if long_term else issued.replace(year=issued.year + 20).isoformat(),
        f"{prefix}id_long_term": long_term,
    }


def _org_form(rng: random.Random, today: date, name: str | None = None) -> dict[str, Any]:
    # A named institution sits in the city its name begins with.
    city, word, kind = next((c for c in COMPANY if name and name.startswith(c[0])), None) or rng.choice(COMPANY)
    founded = date(rng.randrange(2003, 2022), rng.randrange(1, 13), rng.randrange(1, 29))
    province = {"北京": "北京市", "上海": "上海市", "深圳": "广东省", "杭州": "浙江省", "成都": "四川省",
                "武汉": "湖北省", "南京": "江苏省", "西安": "陕西省"}[city]
    return {
        "nationality": "CN", "province": province, "city": city + "市", "org_type": "enterprise",
        "org_name": name or f"{city}{word}{kind}", "founded_on": founded.isoformat(), "cert_type": "uscc",
        "cert_number": _credit_code(rng), "cert_valid_from": founded.isoformat(), "cert_valid_to": None,
        "cert_long_term": True, **_person_form(rng, today, "admin_"),
    }


FEATURED = [
    ("zhangwei", "13811110001", INDIVIDUAL, "certified"),
    ("lina2026", "13811110002", INDIVIDUAL, "fresh"),
    ("xinghe_tech", "13811110003", INSTITUTION, "certified_org"),
    ("liuyang", "13811110004", INDIVIDUAL, "rejected"),
    ("chenjing", "13811110005", INDIVIDUAL, "pending_watermark"),
    ("zhaolei", "13811110006", INDIVIDUAL, "pending_blurry"),
]


def _people(rng: random.Random, today: date, history: int, queue: int) -> list[Person]:
    people = []
    for username, phone, identity, story in FEATURED:
        form = _org_form(rng, today, "北京星河软件技术有限公司") if identity == INSTITUTION else \
            _person_form(rng, today, name={"zhangwei": "张伟", "lina2026": "李娜", "liuyang": "刘洋",
                                           "chenjing": "陈静", "zhaolei": "赵磊"}[username])
        style = {"pending_watermark": {"handheld": "ok", "id_copy": "wrong_wm"},
                 "pending_blurry": {"handheld": "blurry", "id_copy": "ok"},
                 "rejected": {"handheld": "blurry", "id_copy": "ok"}}.get(story, {})
        people.append(Person(username, phone, identity, form, style, story))
    for i in range(history + queue):
        identity = INSTITUTION if i % 6 == 5 else INDIVIDUAL
        form = _org_form(rng, today) if identity == INSTITUTION else _person_form(rng, today)
        story = "queue" if i >= history else "history"
        style = {}
        if rng.random() < 0.15:
            style = {rng.choice(certification.SLOTS[identity]): rng.choice(("blurry", "wrong_wm"))}
        elif rng.random() < 0.2:
            style = {"id_copy": "exact_wm"}
        people.append(Person(f"demo{i + 1:03d}", f"1370000{i + 1:04d}", identity, form, style, story))
    # One queued person registers a second account with zhangwei's ID card, and uploads his ID
    # copy saved again smaller: the duplicate number and the reused photo to show.
    twin = next(p for p in reversed(people) if p.story == "queue" and p.identity == INDIVIDUAL)
    twin.form = dict(people[0].form)
    twin.photo_style = {"id_copy": "copy_of_first"}
    twin.story = "twin"  # submitted after zhangwei (_featured), so the copy is the one flagged
    return people


# --- photos -----------------------------------------------------------------------------------


def _make_photo(job: tuple[str, str, dict[str, Any], str, int, bool]) -> tuple[bytes, dict[str, Any]]:
    """Draw one applicant photo and check it (runs in a worker process)."""
    import numpy as np
    from PIL import Image

    from core import checks, synthetic, watermark
    from core.photos import encode_jpeg

    identity, slot, form, style, seed, ocr = job
    rng = np.random.default_rng(seed)
    p = "admin_" if identity == INSTITUTION else ""
    birth = date.fromisoformat(form[f"{p}birth_date"])
    card = synthetic.draw_id_card(rng, 1100, name=form[f"{p}real_name"],
                                  gender="男" if form[f"{p}gender"] == "male" else "女",
                                  birth=(birth.year, birth.month, birth.day), number=form[f"{p}id_number"])
    if slot == "handheld":
        arr = synthetic.handheld_scene(rng, 1600, 1200, card=card)
    elif slot == "licence":
        licence = synthetic.draw_licence(rng, 1400, name=form["org_name"], code=form["cert_number"])
        arr = synthetic.flat_scene(rng, licence, 1600, 1200, str(rng.choice(["plain", "wood"])), 0.82,
                                   float(rng.uniform(-3, 3)), float(rng.uniform(0, 0.03)))
    else:
        arr = synthetic.scan_scene(card, 1600, 1100)
    image = Image.fromarray(arr)
    quality = 88
    if style == "blurry":
        from PIL import ImageFilter

        image = image.filter(ImageFilter.GaussianBlur(4))
    elif style == "exact_wm":
        image = watermark.stamp(image, color=str(rng.choice(["grey", "red", "blue"])), opacity=0.4)
    elif style == "copy_of_first":
        # Someone else's scan, saved again smaller and recompressed: nearly the same photo.
        image = image.resize((image.width * 4 // 5, image.height * 4 // 5))
        quality = 75
    elif style == "wrong_wm":
        image = Image.fromarray(synthetic.watermark(
            np.asarray(image), "仅供办理银行开户使用", mode="tiled", color=synthetic.COLORS["red"],
            opacity=0.45, angle=30, size=44, rng=rng))
    data = encode_jpeg(image, quality=quality)
    return data, checks.check_photo(data, kind=slot, ocr=ocr).to_record()


def _photos(people: list[Person], progress: Callable[[str], None],
            ocr: bool) -> dict[tuple[str, str], tuple[bytes, dict]]:
    """Every applicant's photos, drawn and checked on all cores (OCR only for the live queue)."""
    jobs = {}
    for n, person in enumerate(people):
        live = ocr and person.story not in ("history", "certified", "certified_org")
        for slot in certification.SLOTS[person.identity]:
            style = person.photo_style.get(slot, "ok")
            # A copy of the first person's photo is drawn from that person's seed.
            seed = 1000 + (0 if style == "copy_of_first" else n) * 7 + len(slot)
            jobs[(person.username, slot)] = (person.identity, slot, person.form, style, seed, live)
            if style in BAD_STYLES:
                # The retake the applicant uploads when resubmitting after the rejection.
                jobs[(person.username, slot + ":retake")] = (person.identity, slot, person.form, "ok",
                                                             5000 + n * 7 + len(slot), False)
    results: dict[tuple[str, str], tuple[bytes, dict]] = {}
    with ProcessPoolExecutor(max_workers=2) as pool:
        for i, (key, result) in enumerate(zip(jobs, pool.map(_make_photo, jobs.values(), chunksize=4))):
            results[key] = result
            if (i + 1) % 20 == 0 or i + 1 == len(jobs):
                progress(f"  photos {i + 1}/{len(jobs)}")
    return results


# --- the timeline ------------------------------------------------------------------------------


def _workday_moment(rng: random.Random, day: date) -> datetime:
    while not workdays.is_workday(day):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, rng.randrange(9, 17), rng.randrange(0, 60), tzinfo=CHINA)


def _decision_moment(rng: random.Random, submitted: datetime, days: int) -> datetime:
    due = workdays.add_workdays(china_date(submitted), days).day if days else china_date(submitted)
    start_hour = submitted.astimezone(CHINA).hour + 1 if days == 0 else 9
    return datetime(due.year, due.month, due.day, min(17, max(start_hour, rng.randrange(9, 18))),
                    rng.randrange(0, 60), tzinfo=CHINA)


class Seeder:
    def __init__(self, rng: random.Random, now: datetime, staff: list[int],
                 photos: dict[tuple[str, str], tuple[bytes, dict]]) -> None:
        self.rng, self.now, self.staff, self.photos = rng, now, staff, photos

    def submit(self, person: Person, when: datetime) -> int:
        """Draft → contacts → form → photos → submit, all at ``when`` (never after now)."""
        when = self.not_after_now(when)
        draft = certification.open_draft(person.account_id, now=when)
        first_round = not draft.data.get("contacts_verified")
        if first_round:
            email = f"{person.username}@example.com"
            certification.send_contact_code(person.account_id, "email", email, now=when)
            certification.send_contact_code(person.account_id, "phone", now=when)
            certification.verify_contacts(
                person.account_id, draft.id, email=email, email_code=_code(email),
                phone_code=_code(person.phone), now=when)
            certification.save_draft(person.account_id, draft.id, person.form, now=when)
        for slot in certification.SLOTS[person.identity]:
            key = (person.username, slot if first_round else slot + ":retake")
            if key in self.photos:
                data, record = self.photos[key]
                certification.attach_photo(person.account_id, draft.id, slot, data,
                                           checker=lambda _d, _s, r=record: r, now=when)
        return certification.submit(person.account_id, draft.id, now=when).request.id

    def not_after_now(self, moment: datetime) -> datetime:
        """A planned office-hours moment, or a little before now when the plan lies ahead.

        Seeding at night, on a weekend or just before a long holiday would otherwise roll
        submissions forward into the future, where no dashboard counts them.
        """
        if moment < self.now:
            return moment
        return self.now - timedelta(minutes=self.rng.randrange(10, 120))

    def decide(self, request_id: int, when: datetime, approve: bool, reasons: list[str] | None = None,
               text: str = "") -> None:
        reviewer = self.rng.choice(self.staff)
        review.claim(request_id, reviewer, now=when - timedelta(minutes=self.rng.randrange(3, 20)))
        review.decide(request_id, reviewer, approve=approve, reasons=reasons, text=text, now=when)

    def life(self, person: Person, first: datetime) -> None:
        """A history applicant: submitted, decided, perhaps rejected and resubmitted."""
        request_id = self.submit(person, first)
        rounds = 0
        while True:
            rounds += 1
            decided = _decision_moment(self.rng, first, self.rng.choice(TURNAROUND))
            if decided >= self.now:
                return  # still waiting: part of today's queue
            bad = {s for s in person.photo_style.values() if s in BAD_STYLES} if rounds == 1 else set()
            if bad:
                approve, reasons = False, ["watermark"] if "wrong_wm" in bad else ["blurry"]
            elif rounds == 1 and self.rng.random() < 0.2:
                approve, reasons = False, list(self.rng.choice(REJECTIONS))
            else:
                approve, reasons = True, None
            self.decide(request_id, decided, approve, reasons)
            if approve or self.rng.random() < 0.15:
                return  # certified, or gave up after the rejection
            first = _workday_moment(self.rng, china_date(decided) + timedelta(days=self.rng.randrange(1, 4)))
            if first >= self.now:
                return
            request_id = self.submit(person, first)


def _code(target: str) -> str:
    import re

    return re.search(r"(\d{6})", codes.outbox(target)[0].body).group(1)


def seed(*, now: datetime | None = None, rng_seed: int = 2026, history: int = HISTORY_APPLICANTS,
         queue: int = QUEUE_APPLICANTS, ocr: bool = True, progress: Callable[[str], None] = print) -> list[str]:
    """Create the whole demo world; returns the credential lines to print.

    ``history`` applicants live through the past eight weeks, ``queue`` ones wait today; the
    OCR watermark check runs on the photos of the live queue unless ``ocr`` is False.
    """
    started = time.monotonic()
    now = now or utcnow()
    today = china_date(now)
    rng = random.Random(rng_seed)
    shared_hash = accounts.hash_password(DEMO_PASSWORD)
    lines = []
    people = _people(rng, today, history, queue)
    progress("CertDesk: drawing and checking demo photos (synthetic people, no real data)…")
    photos = _photos(people, progress, ocr)
    with db.session_scope() as session:
        staff = []
        for (username, phone, name), role in ((DEMO_REVIEWER, REVIEWER_ROLE), (DEMO_REVIEWER_2, REVIEWER_ROLE),
                                              (DEMO_ADMIN, ADMIN)):
            staff.append(accounts.create_account(
                session, username=username, identity=INDIVIDUAL, role=role, phone=phone, password=DEMO_PASSWORD,
                password_hash=shared_hash, display_name=name, now=now - timedelta(days=90)).id)
            lines.append(f"  {role:<9} {username:<14} {DEMO_PASSWORD}")
        for person in people:
            org = person.form.get("org_name") if person.identity == INSTITUTION else None
            person.account_id = accounts.create_account(
                session, username=person.username, identity=person.identity, phone=person.phone,
                password=DEMO_PASSWORD, password_hash=shared_hash, institution_name=org,
                now=now - timedelta(days=70)).id
    lines += [f"  applicant {u:<14} {DEMO_PASSWORD}   ({story})" for u, _, _, story in FEATURED]
    seeder = Seeder(rng, now, staff[:2], photos)
    progress("CertDesk: replaying eight weeks of submissions and decisions…")
    for person in people:
        if person.story == "history":
            seeder.life(person, _workday_moment(rng, today - timedelta(days=rng.randrange(6, 56))))
        elif person.story == "queue":
            seeder.submit(person, _workday_moment(rng, today - timedelta(days=rng.randrange(0, 8))))
    _featured(seeder, {p.username: p for p in people}, today)
    progress(f"CertDesk: demo data ready in {time.monotonic() - started:.0f} s.")
    return lines


def _featured(seeder: Seeder, people: dict[str, Person], today: date) -> None:
    """The named accounts of the walk-through, each in its own state."""
    rng = seeder.rng
    zhang = people["zhangwei"]
    submitted = _workday_moment(rng, today - timedelta(days=24))
    seeder.decide(seeder.submit(zhang, submitted), _decision_moment(rng, submitted, 1), True)
    for twin in (p for p in people.values() if p.story == "twin"):
        seeder.submit(twin, _workday_moment(rng, today - timedelta(days=rng.randrange(0, 8))))
    form = filing.start_form(zhang.account_id, now=seeder.now - timedelta(days=10))
    filing.send_form_code(zhang.account_id, form.id, now=seeder.now - timedelta(days=10))
    filing.submit_form(zhang.account_id, form.id, {
        "software_name": "张伟个人记账软件", "version": "V1.0", "completed_on": (today - timedelta(days=60)).isoformat(),
        "published": False, "rights_holders": ["张伟"]}, _code(zhang.phone), now=seeder.now - timedelta(days=10))
    org = people["xinghe_tech"]
    submitted = _workday_moment(rng, today - timedelta(days=30))
    seeder.decide(seeder.submit(org, submitted), _decision_moment(rng, submitted, 2), True)
    accounts.add_employee(org.account_id, username="xh_wangfang", display_name="王芳", password=DEMO_PASSWORD,
                          confirm=DEMO_PASSWORD, now=seeder.now - timedelta(days=20))
    liu = people["liuyang"]
    submitted = seeder.not_after_now(_workday_moment(rng, today - timedelta(days=6)))
    request_id = seeder.submit(liu, submitted)
    rejected = max(seeder.now - timedelta(hours=20), submitted + (seeder.now - submitted) / 2)
    seeder.decide(request_id, rejected, False, ["blurry"],
                  "手持身份证照片对焦不清,证件号码无法辨认,请在光线充足处重新拍摄。")
    for name in ("chenjing", "zhaolei"):
        seeder.submit(people[name], seeder.now - timedelta(hours=rng.randrange(2, 30)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seed CertDesk demo data into an empty database.")
    parser.add_argument("--if-empty", action="store_true", help="do nothing when accounts exist")
    args = parser.parse_args(argv)
    db.init_db()
    if accounts.count_accounts() > 0:
        if args.if_empty:
            print("CertDesk: database already has accounts; demo seed skipped.")
            return 0
        print("CertDesk: database is not empty; refusing to seed.", file=sys.stderr)
        return 1
    if not load_settings().demo_mode:
        print("CertDesk: CERTDESK_DEMO=0, no demo data seeded.")
        return 0
    lines = seed()
    print("CertDesk demo accounts (demo mode only; all data is synthetic):")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
