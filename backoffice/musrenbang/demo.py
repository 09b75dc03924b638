"""Demo musrenbang season from fixtures/musrenbang_demo.json: the 2027 schedules (held in 2026), Bappeda's
season setting, kamus items of Dinas PUPR and Dinas Kesehatan, scoring criteria, village proposals
at different points of their life cycle, and one legislator with a ceiling and a pokir.

Everything is written through the services, as the Bappeda admin at dates inside the schedule
windows, so each proposal has its history. Loaded once: a second run changes nothing.
"""

import json
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from backoffice.access.models import Role
from backoffice.access.policy import Principal
from backoffice.reference.models import NomenclatureEdition, PerangkatDaerah, Satuan, SubKegiatan, Wilayah

from . import pokir, scoring, services
from .kamus import save_kamus_item, save_setting
from .models import Level, MusrenbangSchedule, SeasonSetting, Usulan

ADMIN = Principal(role=Role.BAPPEDA_ADMIN)
WITA = ZoneInfo("Asia/Makassar")
# When the admin takes each step, inside the level's window of the demo schedule (pokir: before
# their deadline, seven days before the musrenbang kabupaten).
STEP_DAYS = {"create": (1, 6), "submit": (1, 20), "route": (2, 10), "return": (2, 10), "reject_kecamatan": (2, 10),
             "accept": (3, 5), "pokir": (3, 1), "verify_setwan": (3, 3)}


def _at(step):
    month, day = STEP_DAYS[step]
    return datetime(2026, month, day, 10, tzinfo=WITA)


def _day(text, end=False):
    # A window closes at the end of its last day.
    return datetime.combine(date.fromisoformat(text), time.max if end else time.min, tzinfo=WITA)


def load(fixtures, write):
    data = json.loads((fixtures / "musrenbang_demo.json").read_text())
    year = data["year"]
    if SeasonSetting.objects.filter(year=year).exists():
        write(f"Data musrenbang demo {year} sudah ada.")
        return
    codes = {item["perangkat_daerah"] for item in data["kamus"]}
    places = {item["desa"] for item in data["usulan"] + data["pokir"]}
    if PerangkatDaerah.objects.filter(code__in=codes).count() < len(codes) or Wilayah.objects.filter(code__in=places).count() < len(places):
        write("Wilayah atau perangkat daerah demo tidak ada: data musrenbang demo dilewati.")
        return
    for level, (opens, closes) in data["schedules"].items():
        MusrenbangSchedule.objects.create(year=year, level=level, opens_at=_day(opens), closes_at=_day(closes, end=True))
    save_setting(ADMIN, year, **data["setting"])
    kamus = _kamus(data["kamus"], year)
    criteria = [
        scoring.save_criterion(ADMIN, None, year=year, level=item["level"], name=item["name"], weight=Decimal(item["weight"]), min_score=1, max_score=5, order=n)
        for n, item in enumerate(data["criteria"], start=1)
    ]
    kecamatan_criteria = [c for c in criteria if c.level == Level.KECAMATAN]
    for item in data["usulan"]:
        _usulan(item, year, kamus, kecamatan_criteria)
    anggota_data = dict(data["anggota"])
    ceiling = Decimal(anggota_data.pop("ceiling"))
    anggota = pokir.save_anggota(ADMIN, None, **anggota_data)
    pokir.set_ceiling(ADMIN, anggota, year, ceiling)
    for item in data["pokir"]:
        _usulan(item, year, kamus, [], anggota=anggota)
    write(f"Musrenbang demo {year} dimuat: jadwal, pengaturan, {len(kamus)} item kamus, {len(criteria)} kriteria penilaian, "
          f"{len(data['usulan'])} usulan desa, {len(data['pokir'])} pokir DPRD.")


def _kamus(items, year):
    edition = NomenclatureEdition.in_force(year)
    subs = SubKegiatan.objects.in_force(edition) if edition else SubKegiatan.objects.none()
    saved = {}
    for item in items:
        saved[item["name"]] = save_kamus_item(
            ADMIN, None, year=year, perangkat_daerah=PerangkatDaerah.objects.get(code=item["perangkat_daerah"]), name=item["name"],
            satuan=Satuan.objects.get(name=item["satuan"]), unit_price=Decimal(item["unit_price"]),
            sub_kegiatan=subs.filter(code=item.get("sub_kegiatan", "")).first(), expected_output=item.get("expected_output", ""),
        )
    return saved


def _usulan(item, year, kamus, criteria, anggota=None):
    desa = Wilayah.objects.get(code=item["desa"])
    item_kamus = kamus.get(item.get("kamus"))
    data = services.UsulanInput(
        year=year, desa=desa, kecamatan=desa.parent, solution=item["solution"], problem=item.get("problem", ""),
        volume=Decimal(item["volume"]), satuan=Satuan.objects.filter(name=item.get("satuan")).first(),
        estimated_cost=Decimal(item.get("estimated_cost", "0")), kamus=item_kamus, outside_kamus_reason=item.get("outside_kamus_reason", ""),
        beneficiaries=item.get("beneficiaries"), priority_desa=item.get("priority_desa"),
        latitude=Decimal(item["latitude"]) if "latitude" in item else None, longitude=Decimal(item["longitude"]) if "longitude" in item else None,
        proposer_level=Usulan.ProposerLevel.DPRD if anggota else Usulan.ProposerLevel.DESA, anggota_dprd=anggota,
    )
    usulan = services.create_usulan(ADMIN, data, at=_at("pokir" if anggota else "create"))
    for step in item["steps"]:
        at = _at("pokir" if anggota and step == "submit" else step)
        STEPS[step](usulan, item.get("reason", ""), at)
        if step == "submit" and criteria and item.get("scores"):
            scoring.score_usulan(ADMIN, usulan, Level.KECAMATAN, dict(zip(criteria, item["scores"])), at=at)
    return usulan


STEPS = {
    "submit": lambda usulan, reason, at: services.submit_usulan(ADMIN, usulan, at=at),
    # To the department of its kamus item.
    "route": lambda usulan, reason, at: services.route_usulan(ADMIN, usulan, Usulan.objects.get(pk=usulan.pk).target_perangkat_daerah, at=at),
    "accept": lambda usulan, reason, at: services.accept_usulan(ADMIN, usulan, at=at),
    "return": lambda usulan, reason, at: services.return_usulan(ADMIN, usulan, reason, at=at),
    "reject_kecamatan": lambda usulan, reason, at: services.reject_at_kecamatan(ADMIN, usulan, reason, at=at),
    "verify_setwan": lambda usulan, reason, at: pokir.verify_by_setwan(ADMIN, usulan, at=at),
}
