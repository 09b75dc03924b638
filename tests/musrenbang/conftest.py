"""A small musrenbang world in Kabupaten Kupang: two kecamatan with villages (one with a boundary),
two departments, and one principal per role."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from backoffice.access.models import Role
from backoffice.access.policy import PUBLIC, principal_for_user
from backoffice.musrenbang.models import Status, Usulan
from backoffice.musrenbang.services import UsulanInput, create_usulan, reject_at_kecamatan, route_usulan, submit_usulan
from backoffice.reference.models import PerangkatDaerah, Satuan, Wilayah
from tests.factories import make_user

SQUARE = {"type": "Polygon", "coordinates": [[[123.5, -10.2], [123.7, -10.2], [123.7, -10.0], [123.5, -10.0], [123.5, -10.2]]]}
REGION = {"type": "Polygon", "coordinates": [[[123.0, -10.5], [124.5, -10.5], [124.5, -9.5], [123.0, -9.5], [123.0, -10.5]]]}


def wilayah(code, name, level, parent=None, **extra):
    kind = {"provinsi": "provinsi", "kabupaten_kota": "kabupaten", "kecamatan": "kecamatan"}.get(level) or ("kelurahan" if code.split(".")[-1].startswith("1") else "desa")
    return Wilayah.objects.create(code=code, name=name, level=level, kind=kind, parent=parent, **extra)


@pytest.fixture
def mb(db):
    ntt = wilayah("53", "Nusa Tenggara Timur", "provinsi")
    kupang = wilayah("53.01", "Kabupaten Kupang", "kabupaten_kota", ntt, boundary=REGION)
    barat = wilayah("53.01.05", "Kupang Barat", "kecamatan", kupang)
    timur = wilayah("53.01.06", "Kupang Timur", "kecamatan", kupang)
    bolok = wilayah("53.01.05.2010", "Bolok", "desa_kelurahan", barat, boundary=SQUARE)
    oenesu = wilayah("53.01.05.1001", "Oenesu", "desa_kelurahan", barat)
    babau = wilayah("53.01.06.1001", "Babau", "desa_kelurahan", timur)
    pupr = PerangkatDaerah.objects.create(code="1.03.0.00.0.00.01.0000", name="Dinas Pekerjaan Umum dan Penataan Ruang")
    dinkes = PerangkatDaerah.objects.create(code="1.02.0.00.0.00.01.0000", name="Dinas Kesehatan")
    users = {
        "admin": make_user("bappeda", Role.BAPPEDA_ADMIN),
        "verifier": make_user("verifikator", Role.BAPPEDA_VERIFIER),
        "desa_bolok": make_user("desa-bolok", Role.DESA_OPERATOR, wilayah=bolok),
        "desa_babau": make_user("desa-babau", Role.DESA_OPERATOR, wilayah=babau),
        "kec_barat": make_user("kec-barat", Role.KECAMATAN_OPERATOR, wilayah=barat),
        "kec_timur": make_user("kec-timur", Role.KECAMATAN_OPERATOR, wilayah=timur),
        "opd_pupr": make_user("ver-pupr", Role.OPD_VERIFIER, pupr),
        "opd_dinkes": make_user("ver-dinkes", Role.OPD_VERIFIER, dinkes),
    }
    p = {name: principal_for_user(user) for name, user in users.items()}
    p["public"] = PUBLIC
    meter = Satuan.objects.create(name="Meter")

    def proposal(desa=bolok, kecamatan=barat, **overrides):
        values = dict(
            year=2027, desa=desa, kecamatan=kecamatan, solution="Rabat beton jalan lingkungan RT 03", volume=Decimal("150"),
            satuan=meter, estimated_cost=Decimal("180000000"), problem="Jalan berlumpur saat hujan",
            proposer_name="Yohanis Bana", proposer_phone="081234567890", proposer_nik="5301051203800001",
            internal_notes="Kades minta didahulukan", address="RT 03 Dusun 1",
        )
        values.update(overrides)
        return UsulanInput(**values)

    return SimpleNamespace(kupang=kupang, barat=barat, timur=timur, bolok=bolok, oenesu=oenesu, babau=babau,
                           pupr=pupr, dinkes=dinkes, users=users, p=p, meter=meter, proposal=proposal)


@pytest.fixture
def season(mb):
    """The musrenbang world plus what issue 6 adds: a department operator, the DPRD secretariat, two
    legislators with their logins, a kamus of PUPR for 2027 and the four schedule windows of 2027;
    season.at(month, day) is a moment of 2026 in WITA and season.pokir(...) a pokir's input."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from backoffice.musrenbang.models import AnggotaDprd, KamusUsulan, Level, MusrenbangSchedule

    users = {
        "op_pupr": make_user("op-pupr", Role.OPD_OPERATOR, mb.pupr),
        "op_dinkes": make_user("op-dinkes", Role.OPD_OPERATOR, mb.dinkes),
        "setwan": make_user("setwan", Role.SETWAN_VERIFIER),
        "dprd_ana": make_user("dprd-ana", Role.ANGGOTA_DPRD),
        "dprd_budi": make_user("dprd-budi", Role.ANGGOTA_DPRD),
    }
    ana = AnggotaDprd.objects.create(name="Ana Manafe", fraksi="Fraksi Nusa", daerah_pemilihan="Kupang 1", period_start=2024, period_end=2029, user=users["dprd_ana"])
    budi = AnggotaDprd.objects.create(name="Budi Lakapu", fraksi="Fraksi Timor", daerah_pemilihan="Kupang 2", period_start=2024, period_end=2029, user=users["dprd_budi"])
    mb.users.update(users)
    mb.p.update({name: principal_for_user(user) for name, user in users.items()})
    unit = Satuan.objects.create(name="Unit")
    road = KamusUsulan.objects.create(year=2027, perangkat_daerah=mb.pupr, name="Rabat beton jalan lingkungan", satuan=mb.meter,
                                      unit_price=Decimal("1200000"), expected_output="Jalan lingkungan terbangun")
    well = KamusUsulan.objects.create(year=2027, perangkat_daerah=mb.pupr, name="Sumur bor", satuan=unit, unit_price=Decimal("85000000"))
    old = KamusUsulan.objects.create(year=2027, perangkat_daerah=mb.pupr, name="Talud lama", satuan=mb.meter, unit_price=Decimal("900000"), is_active=False)
    clinic = KamusUsulan.objects.create(year=2027, perangkat_daerah=mb.dinkes, name="Posyandu keliling", satuan=unit, unit_price=Decimal("15000000"))
    wita = ZoneInfo("Asia/Makassar")

    def window(level, start, end):
        return MusrenbangSchedule.objects.create(year=2027, level=level, opens_at=datetime(2026, *start, tzinfo=wita), closes_at=datetime(2026, *end, tzinfo=wita))

    schedules = {
        Level.DESA: window(Level.DESA, (1, 5), (1, 31)),
        Level.KECAMATAN: window(Level.KECAMATAN, (2, 1), (2, 28)),
        Level.FORUM_OPD: window(Level.FORUM_OPD, (3, 1), (3, 20)),
        Level.KABUPATEN: window(Level.KABUPATEN, (3, 25), (4, 5)),
    }

    def at(month, day, hour=10):
        return datetime(2026, month, day, hour, tzinfo=wita)

    def pokir(anggota=None, kamus=None, volume="1", **overrides):
        """The input of a pokir (Ana's, 1 sumur bor from the kamus unless told) for the services."""
        return mb.proposal(desa=None, proposer_level=Usulan.ProposerLevel.DPRD, anggota_dprd=anggota or ana,
                           kamus=kamus or well, volume=Decimal(volume), **overrides)

    return SimpleNamespace(mb=mb, p=mb.p, ana=ana, budi=budi, unit=unit, road=road, well=well, old=old, clinic=clinic,
                           schedules=schedules, at=at, pokir=pokir)


@pytest.fixture
def mapped(mb):
    """Proposals on the map (test_map, test_map_browser, test_dashboard, the GraphQL GeoJSON).
    Bolok (Kupang Barat): a routed road with a point, a rejected well with a point, a submitted
    proposal without coordinates and a draft; Babau (Kupang Timur): a submitted clinic."""
    p = mb.p
    road = create_usulan(p["desa_bolok"], mb.proposal(latitude=Decimal("-10.1"), longitude=Decimal("123.6")))
    well = create_usulan(p["desa_bolok"], mb.proposal(solution="Sumur bor", latitude=Decimal("-10.15"), longitude=Decimal("123.55")))
    unplaced = create_usulan(p["desa_bolok"], mb.proposal(solution="Pelatihan kader"))
    draft = create_usulan(p["desa_bolok"], mb.proposal(solution="Masih draf", latitude=Decimal("-10.12"), longitude=Decimal("123.62")))
    clinic = create_usulan(
        p["desa_babau"], mb.proposal(desa=mb.babau, kecamatan=mb.timur, solution="Pustu", latitude=Decimal("-10.05"), longitude=Decimal("123.9"))
    )
    for usulan, who in ((road, "desa_bolok"), (well, "desa_bolok"), (unplaced, "desa_bolok"), (clinic, "desa_babau")):
        submit_usulan(p[who], usulan)
    route_usulan(p["kec_barat"], road, mb.pupr)
    reject_at_kecamatan(p["kec_barat"], well, "Sudah dibiayai Dana Desa")
    return {name: Usulan.objects.get(pk=u.pk) for name, u in
            dict(road=road, well=well, unplaced=unplaced, draft=draft, clinic=clinic).items()}


def add_proposals(mb, count):
    """`count` submitted proposals with points spread over two villages (rows written directly:
    what is measured is reading them)."""
    desas = [(mb.bolok, mb.barat), (mb.babau, mb.timur)]
    Usulan.objects.bulk_create(
        Usulan(
            tracking_code=f"27-Q{i:05d}", year=2027, desa=desas[i % 2][0], kecamatan=desas[i % 2][1], solution=f"Usulan {i}",
            volume=Decimal("1"), satuan=mb.meter, estimated_cost=Decimal("1000000"), status=Status.SUBMITTED,
            target_perangkat_daerah=(mb.pupr, mb.dinkes, None)[i % 3],
            latitude=Decimal("-10.1") + Decimal(i % 50) / 1000, longitude=Decimal("123.6") + Decimal(i % 70) / 1000,
        )
        for i in range(count)
    )
