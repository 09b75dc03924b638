"""A small musrenbang world in Kabupaten Kupang: two kecamatan with villages (one with a boundary),
two departments, and one principal per role."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from backoffice.access.models import Role
from backoffice.access.policy import PUBLIC, principal_for_user
from backoffice.musrenbang.services import UsulanInput
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
