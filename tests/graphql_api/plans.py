"""A small set of plans, published and draft, on top of the planning `world`, with amounts chosen
so that every recap can be computed by hand.

Region: kabupaten 53.01 with kecamatan A (53.01.01, with desa A1 53.01.01.2001) and B (53.01.02).

Periods: RPJMD 2025-2029 (published) with one misi/tujuan/sasaran, an indicator with targets, a
strategi, an arah kebijakan and a program prioritas; RPD 2030-2031 (draft) with one sasaran.

Renstra: Dinas Pendidikan (dikbud) 2025-2029 published, its sasaran linked to the RPJMD's;
Dinas Kesehatan (dinkes) 2025-2029 draft; dikbud 2030-2031 published, linked to the draft RPD.

Renja 2026 (RKPD 2026 published; RKPD 2027 draft, no Renja):
| Renja | row | sub kegiatan | pendanaan | pagu | lokasi |
| dikbud (published) | r1 | 1.01.02.2.01.0001 | DAU 1.000.000 + PAD 200.000 | 1.200.000 | kecamatan A, kecamatan B |
| | r2 | X.XX.01.2.02.0001 (support) | DAU 300.000 | 300.000 | none |
| | r3 | 1.01.02.2.01.0002 | PAD 100.000 | 100.000 | desa A1 |
| dinkes (draft) | r4 | 1.02.01.2.01.0001 | DAU 500.000 | 500.000 | seluruh kabupaten |

Seen by the public (published Renja only): total 1.600.000 in 3 rows; urusan 1: 1.600.000;
bidang 1.01: 1.600.000; program 1.01.01 (support, under dikbud's bidang) 300.000, 1.01.02:
1.300.000; DAU 1.300.000 (2 rows), PAD 300.000 (2 rows); kecamatan A 600.000 + 100.000 = 700.000
(2 rows), B 600.000 (1 row), Seluruh kabupaten 300.000 (1 row).
Seen by Bappeda: plus r4: total 2.100.000, bidang 1.02: 500.000, DAU 1.800.000, Seluruh
kabupaten 800.000 (2 rows).
"""

from decimal import Decimal
from types import SimpleNamespace

from backoffice.planning.models import (
    ArahKebijakan,
    Indicator,
    IndicatorTarget,
    Misi,
    PlanningPeriod,
    ProgramPrioritas,
    RenjaRow,
    Renstra,
    RenstraKegiatan,
    RenstraProgram,
    RenstraSasaran,
    RenstraSubKegiatan,
    RenstraTujuan,
    Rkpd,
    RkpdPriority,
    Sasaran,
    Strategi,
    Tujuan,
)
from backoffice.planning.services import get_or_create_renja, save_renja_row
from backoffice.reference.models import Kegiatan, Program, Wilayah


def make_region():
    provinsi = Wilayah.objects.create(code="53", name="Nusa Tenggara Timur", level="provinsi", kind="provinsi")
    kabupaten = Wilayah.objects.create(code="53.01", name="Kupang", level="kabupaten_kota", kind="kabupaten", parent=provinsi)
    a = Wilayah.objects.create(code="53.01.01", name="Kecamatan A", level="kecamatan", kind="kecamatan", parent=kabupaten)
    b = Wilayah.objects.create(code="53.01.02", name="Kecamatan B", level="kecamatan", kind="kecamatan", parent=kabupaten)
    a1 = Wilayah.objects.create(code="53.01.01.2001", name="Desa A1", level="desa_kelurahan", kind="desa", parent=a)
    return SimpleNamespace(kabupaten=kabupaten, a=a, b=b, a1=a1)


def make_period(name, start, end, published, sasaran_code="S1.1.1"):
    period = PlanningPeriod.objects.create(name=name, start_year=start, end_year=end, visi=f"Visi {name}", is_published=published)
    misi = Misi.objects.create(period=period, order=1, text=f"Misi {name}")
    tujuan = Tujuan.objects.create(misi=misi, code="T1.1", text=f"Tujuan {name}")
    sasaran = Sasaran.objects.create(tujuan=tujuan, code=sasaran_code, text=f"Sasaran {name}")
    return period, sasaran


def build_plans(world):
    admin = world.p["admin"]
    region = make_region()

    rpjmd, sasaran = make_period("RPJMD 2025-2029", 2025, 2029, published=True)
    Strategi.objects.create(sasaran=sasaran, order=1, text="Perluasan akses sekolah")
    ArahKebijakan.objects.create(sasaran=sasaran, order=1, text="Pembangunan ruang kelas")
    indicator = Indicator.objects.create(sasaran=sasaran, text="Angka partisipasi sekolah", satuan="%", baseline_value=Decimal("80"))
    for year, value in ((2025, 81), (2026, 83)):
        IndicatorTarget.objects.create(indicator=indicator, year=year, value=value)
    prioritas = ProgramPrioritas.objects.create(period=rpjmd, sasaran=sasaran, program=Program.objects.get(code="1.01.02"))
    prioritas.perangkat_daerah.add(world.dikbud)
    rpd, draft_sasaran = make_period("RPD 2030-2031", 2030, 2031, published=False, sasaran_code="S9.9.9")

    renstra_dikbud = Renstra.objects.create(perangkat_daerah=world.dikbud, period=rpjmd, is_published=True)
    tujuan = RenstraTujuan.objects.create(renstra=renstra_dikbud, code="RT1", text="Meningkatkan mutu pendidikan")
    renstra_sasaran = RenstraSasaran.objects.create(tujuan=tujuan, code="RS1", text="Akses sekolah meningkat", rpjmd_sasaran=sasaran)
    program = RenstraProgram.objects.create(renstra=renstra_dikbud, sasaran=renstra_sasaran, program=Program.objects.get(code="X.XX.01"))
    kegiatan = RenstraKegiatan.objects.create(renstra_program=program, kegiatan=Kegiatan.objects.get(code="X.XX.01.2.02"))
    RenstraSubKegiatan.objects.create(renstra_kegiatan=kegiatan, sub_kegiatan=world.support)
    renstra_dinkes = Renstra.objects.create(perangkat_daerah=world.dinkes, period=rpjmd, is_published=False)
    renstra_rpd = Renstra.objects.create(perangkat_daerah=world.dikbud, period=rpd, is_published=True)
    tujuan_rpd = RenstraTujuan.objects.create(renstra=renstra_rpd, code="RT9", text="Tujuan RPD")
    RenstraSasaran.objects.create(tujuan=tujuan_rpd, code="RS9", text="Sasaran RPD", rpjmd_sasaran=draft_sasaran)

    renja_dikbud = get_or_create_renja(admin, world.dikbud, 2026)
    r1 = save_renja_row(
        admin,
        RenjaRow(renja=renja_dikbud, sub_kegiatan=world.subs["1.01.02.2.01.0001"], target_group="Siswa SD"),
        pendanaan=[(world.dau, 1_000_000), (world.pad, 200_000)],
        lokasi=[(region.a, ""), (region.b, "")],
    )
    output = Indicator.objects.create(renja_row=r1, level="keluaran", text="Jumlah ruang kelas dibangun", satuan="Unit")
    IndicatorTarget.objects.create(indicator=output, year=2026, value=4)
    IndicatorTarget.objects.create(indicator=output, year=2027, value=6)
    r2 = save_renja_row(admin, RenjaRow(renja=renja_dikbud, sub_kegiatan=world.support), pendanaan=[(world.dau, 300_000)])
    r3 = save_renja_row(
        admin,
        RenjaRow(renja=renja_dikbud, sub_kegiatan=world.subs["1.01.02.2.01.0002"]),
        pendanaan=[(world.pad, 100_000)],
        lokasi=[(region.a1, "Dusun 1")],
    )
    renja_dikbud.is_published = True
    renja_dikbud.save()
    renja_dinkes = get_or_create_renja(admin, world.dinkes, 2026)
    r4 = save_renja_row(
        admin,
        RenjaRow(renja=renja_dinkes, sub_kegiatan=world.subs["1.02.01.2.01.0001"]),
        pendanaan=[(world.dau, 500_000)],
        lokasi=[(None, "Seluruh kabupaten")],
    )

    rkpd = Rkpd.objects.create(year=2026, theme="Pemulihan ekonomi", is_published=True)
    RkpdPriority.objects.create(rkpd=rkpd, order=1, name="Pendidikan")
    RkpdPriority.objects.create(rkpd=rkpd, order=2, name="Kesehatan")
    rkpd_draft = Rkpd.objects.create(year=2027, theme="Draf", is_published=False)

    return SimpleNamespace(
        region=region,
        rpjmd=rpjmd,
        rpd=rpd,
        renstra_dikbud=renstra_dikbud,
        renstra_dinkes=renstra_dinkes,
        renstra_rpd=renstra_rpd,
        renja_dikbud=renja_dikbud,
        renja_dinkes=renja_dinkes,
        rows=(r1, r2, r3, r4),
        rkpd=rkpd,
        rkpd_draft=rkpd_draft,
    )
