"""Small builders for reference data in tests (the importer has its own tests on real files)."""

from backoffice.reference.models import BidangUrusan, Kegiatan, NomenclatureEdition, Program, SubKegiatan, Urusan


def make_edition(name="Permendagri 90/2019", year=2021):
    return NomenclatureEdition.objects.create(name=name, year=year)


def make_nomenclature(edition, *, urusan=1, bidang=1, program=1, kegiatan=1, sub_kegiatan=1):
    """A full tree with the given fan-out at each level; returns the sub kegiatan rows.

    Codes follow the regulation's shapes: urusan `1`, bidang `1.01`, program `1.01.01`,
    kegiatan `1.01.01.2.01`, sub kegiatan `1.01.01.2.01.0001`.
    """
    subs = []
    for u in range(1, urusan + 1):
        u_row = Urusan.objects.create(code=str(u), name=f"URUSAN {u}", valid_from=edition)
        for b in range(1, bidang + 1):
            b_row = BidangUrusan.objects.create(
                code=f"{u}.{b:02d}", name=f"BIDANG {u}.{b:02d}", urusan=u_row, valid_from=edition
            )
            for p in range(1, program + 1):
                p_row = Program.objects.create(
                    code=f"{b_row.code}.{p:02d}", name=f"PROGRAM {b_row.code}.{p:02d}", bidang_urusan=b_row, valid_from=edition
                )
                for k in range(1, kegiatan + 1):
                    k_row = Kegiatan.objects.create(
                        code=f"{p_row.code}.2.{k:02d}", name=f"Kegiatan {p_row.code}.2.{k:02d}", program=p_row, valid_from=edition
                    )
                    subs += SubKegiatan.objects.bulk_create(
                        SubKegiatan(
                            code=f"{k_row.code}.{s:04d}",
                            name=f"Sub kegiatan {k_row.code}.{s:04d}",
                            kegiatan=k_row,
                            valid_from=edition,
                            kinerja="Dokumen tersusun",
                            indikator="Jumlah dokumen",
                            satuan="Dokumen",
                        )
                        for s in range(1, sub_kegiatan + 1)
                    )
    return subs


def make_support_program(edition):
    """The generic support program X.XX.01 with one sub kegiatan (Penyediaan Gaji dan Tunjangan ASN)."""
    u = Urusan.objects.create(code="X", name="PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH", valid_from=edition)
    b = BidangUrusan.objects.create(code="X.XX", name="PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH", urusan=u, valid_from=edition)
    p = Program.objects.create(code="X.XX.01", name="PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA", bidang_urusan=b, valid_from=edition)
    k = Kegiatan.objects.create(code="X.XX.01.2.02", name="Administrasi Keuangan Perangkat Daerah", program=p, valid_from=edition)
    return SubKegiatan.objects.create(code="X.XX.01.2.02.0001", name="Penyediaan Gaji dan Tunjangan ASN", kegiatan=k, valid_from=edition)


def make_user(username, role=None, perangkat_daerah=None, wilayah=None, **extra):
    """A staff user with an access profile (no role: a staff user without any role)."""
    from django.contrib.auth import get_user_model

    from backoffice.access.models import AccessProfile

    user = get_user_model().objects.create_user(username=username, password="rahasia-123", is_staff=True, **extra)
    if role:
        AccessProfile.objects.create(user=user, role=role, perangkat_daerah=perangkat_daerah, wilayah=wilayah)
    return user
