"""Fixtures shared by the reference admin tests (this module holds no tests).

Two editions of a small nomenclature tree: in the second (2023) one kegiatan is renamed, so a
program has a different child list in each edition; 2023 is the edition in force.
"""

import pytest
from django.contrib.auth.models import Permission

from backoffice.reference.models import (
    BidangUrusan,
    Kegiatan,
    PerangkatDaerah,
    Program,
    SubKegiatan,
    Urusan,
    Wilayah,
)
from tests.factories import make_edition, make_nomenclature

# What the test modules take with `from .test_admin_helpers import *` (pytest finds fixtures by name).
__all__ = [
    "superuser", "superuser_client", "staff_client", "viewer", "viewer_client",
    "editions", "tree", "perangkat_daerah", "wilayah",
]

REFERENCE_MODELS = [
    "nomenclatureedition", "urusan", "bidangurusan", "program", "kegiatan", "subkegiatan",
    "perangkatdaerah", "wilayah", "satuan", "sumberdana", "importrun",
]


def snippet_url(model_name, view="list", *args):
    base = f"/admin/snippets/reference/{model_name}/"
    if view == "list":
        return base
    return base + f"{view}/" + "".join(f"{a}/" for a in args)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin-bappeda", "admin@example.id", "rahasia-123")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def staff_client(client, django_user_model):
    """Staff without any permission (not even to enter the Wagtail admin)."""
    user = django_user_model.objects.create_user("staf", "staf@example.id", "rahasia-123", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def viewer(django_user_model):
    """May enter the admin and view reference data, but change or import nothing."""
    user = django_user_model.objects.create_user("operator", "operator@example.id", "rahasia-123", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="reference", codename__startswith="view_"),
    )
    return user


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def editions(db):
    first, second = make_edition("Kepmendagri 050-3708/2020", 2021), make_edition("Kepmendagri 050-5889/2021", 2023)
    return first, second


@pytest.fixture
def tree(editions):
    """1 urusan, 2 bidang, 2 programs each, 2 kegiatan each, 3 sub kegiatan each (2021);
    in 2023 kegiatan 1.01.01.2.02 gets a new name (a new version, the old one ended, and its
    sub kegiatan relinked to the new version)."""
    first, second = editions
    make_nomenclature(first, urusan=1, bidang=2, program=2, kegiatan=2, sub_kegiatan=3)
    old = Kegiatan.objects.get(code="1.01.01.2.02")
    old.valid_until = second
    old.save()
    renamed = Kegiatan.objects.create(
        code=old.code, name="Kegiatan baru 2023", program=old.program, valid_from=second
    )
    # As the importer does: the children get new versions pointing at the new parent version.
    subs = list(SubKegiatan.objects.filter(kegiatan=old))
    SubKegiatan.objects.filter(kegiatan=old).update(valid_until=second)
    for sub in subs:
        SubKegiatan.objects.create(code=sub.code, name=sub.name, kegiatan=renamed, valid_from=second)
    return {
        "urusan": Urusan.objects.get(),
        "bidang": BidangUrusan.objects.get(code="1.01"),
        "program": Program.objects.get(code="1.01.01"),
        "kegiatan_old": old,
        "kegiatan_new": renamed,
        "kegiatan": Kegiatan.objects.get(code="1.01.01.2.01"),
        "sub": SubKegiatan.objects.get(code="1.01.01.2.01.0002"),
    }


@pytest.fixture
def perangkat_daerah(tree):
    dinas = PerangkatDaerah.objects.create(code="1.01.0.00.0.00.01.0000", name="Dinas Pendidikan", short_name="Disdik")
    uptd = PerangkatDaerah.objects.create(code="1.01.0.00.0.00.01.0001", name="UPTD Sekolah Dasar", parent=dinas)
    gabungan = PerangkatDaerah.objects.create(code="1.02.1.01.0.00.02.0000", name="Dinas Gabungan")
    return {"dinas": dinas, "uptd": uptd, "gabungan": gabungan}


@pytest.fixture
def wilayah(db):
    provinsi = Wilayah.objects.create(code="53", name="Nusa Tenggara Timur", level="provinsi", kind="provinsi")
    kabupaten = Wilayah.objects.create(code="53.01", name="Kabupaten Kupang", level="kabupaten_kota", kind="kabupaten", parent=provinsi)
    semau = Wilayah.objects.create(code="53.01.04", name="Semau", level="kecamatan", kind="kecamatan", parent=kabupaten)
    desa = Wilayah.objects.create(code="53.01.04.2001", name="Uitao", level="desa_kelurahan", kind="desa", parent=semau)
    kelurahan = Wilayah.objects.create(code="53.01.04.1001", name="Batulesa", level="desa_kelurahan", kind="kelurahan", parent=semau)
    return {"provinsi": provinsi, "kabupaten": kabupaten, "kecamatan": semau, "desa": desa, "kelurahan": kelurahan}
