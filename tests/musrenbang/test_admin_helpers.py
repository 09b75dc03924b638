"""Fixtures of the Musrenbang admin tests (star-imported by each test_admin_* module): a logged-in
client per role of the `mb` world, a staff user without any role, and proposals in each status."""

from decimal import Decimal

import pytest
from django.test import Client

from backoffice.musrenbang import services
from backoffice.musrenbang.models import Status, Usulan
from backoffice.planning.models import Renja, RenjaRow
from tests.factories import make_edition, make_nomenclature, make_user

BASE = "/admin/musrenbang/usulan/"
ROLES = ["admin", "verifier", "desa_bolok", "desa_babau", "kec_barat", "kec_timur", "opd_pupr", "opd_dinkes"]

# The steps that bring a fresh draft of Bolok (Kupang Barat) to a status, as Bappeda's admin.
PATH = {
    Status.DRAFT: [],
    Status.SUBMITTED: ["submit"],
    Status.RETURNED: ["submit", "return"],
    Status.ROUTED: ["submit", "route"],
    Status.ACCEPTED: ["submit", "route", "accept"],
    Status.POSTPONED: ["submit", "route", "postpone"],
    Status.AGREED: ["submit", "route", "accept", "agree"],
}


@pytest.fixture
def login(mb):
    """login("kec_barat") -> a client logged in as that role's user ("staff": staff without a role)."""
    clients = {}

    def get(name):
        if name not in clients:
            user = mb.users[name] if name in mb.users else make_user("tamu")
            client = Client()
            client.force_login(user)
            clients[name] = client
        return clients[name]

    return get


def advance(mb, usulan, status, unit=None):
    admin = mb.p["admin"]
    for step in PATH[status]:
        if step == "submit":
            services.submit_usulan(admin, usulan)
        elif step == "return":
            services.return_usulan(admin, usulan, "Lengkapi foto")
        elif step == "route":
            services.route_usulan(admin, usulan, unit or mb.pupr)
        elif step == "accept":
            services.accept_usulan(admin, usulan)
        elif step == "postpone":
            services.postpone_usulan(admin, usulan, "Menunggu jaringan listrik")
        elif step == "agree":
            services.agree_usulan(admin, usulan)
    return Usulan.objects.get(pk=usulan.pk)


@pytest.fixture
def make(mb):
    """make(status, desa="bolok"|"babau", **proposal fields) -> a proposal in that status."""

    def build(status=Status.DRAFT, desa="bolok", unit=None, **fields):
        if desa == "babau":
            data = mb.proposal(desa=mb.babau, kecamatan=mb.timur, **fields)
            author = mb.p["desa_babau"]
        else:
            data = mb.proposal(**fields)
            author = mb.p["desa_bolok"]
        return advance(mb, services.create_usulan(author, data), status, unit)

    return build


@pytest.fixture
def world(mb, make):
    """Bolok: a draft, a submitted one and one routed to PUPR; Babau (Kupang Timur): a submitted one."""
    return {
        "draft": make(Status.DRAFT, solution="Draf Bolok"),
        "submitted": make(Status.SUBMITTED, solution="Diajukan Bolok"),
        "routed": make(Status.ROUTED, solution="Diteruskan Bolok"),
        "babau": make(Status.SUBMITTED, desa="babau", solution="Diajukan Babau"),
    }


# Which of `world` each role sees (the policy's territorial rule).
SEES = {
    "admin": {"draft", "submitted", "routed", "babau"},
    "verifier": {"draft", "submitted", "routed", "babau"},
    "desa_bolok": {"draft", "submitted", "routed"},
    "desa_babau": {"babau"},
    "kec_barat": {"submitted", "routed"},
    "kec_timur": {"babau"},
    "opd_pupr": {"routed"},
    "opd_dinkes": set(),
}


@pytest.fixture
def renja_row(mb):
    edition = make_edition(year=2027)
    sub = make_nomenclature(edition, urusan=1, bidang=3)[-1]
    return RenjaRow.objects.create(renja=Renja.objects.create(perangkat_daerah=mb.pupr, year=2027), sub_kegiatan=sub)


def codes_in(response):
    return {row["usulan"].tracking_code for row in response.context["rows"]}


def snapshot(usulan):
    """What a refused request must leave untouched."""
    usulan = Usulan.objects.get(pk=usulan.pk)
    return (usulan.status, usulan.public_reason, usulan.target_perangkat_daerah_id, usulan.renja_row_id, usulan.solution,
            usulan.volume, usulan.priority_kecamatan, usulan.events.count(), usulan.recommendations.count(), Usulan.objects.count())


def money(value):
    return Decimal(str(value))


def outcome(response):
    """200, 302 (to another page), 403 (Wagtail's refusal: back to the dashboard with a message) or 404."""
    if response.status_code == 302 and response["Location"] == "/admin/":
        return 403
    return response.status_code


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are made per test (one per role): a fast hasher keeps the matrix quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def message_texts(response):
    return [str(m).strip() for m in response.context["messages"]]


# ------------------------------------------------------------------------------------------------
# The season's pages (the `season` world of conftest.py)

MATRIX_ROLES = ["admin", "verifier", "kec_barat", "kec_timur", "desa_bolok", "opd_pupr", "opd_dinkes", "setwan", "dprd_ana", "anonymous"]


@pytest.fixture
def clock(monkeypatch, settings, season):
    """A settable now for the views: 10 January 2026 (the desa window of 2027) to start; tests move it
    with clock["now"] = season.at(...). The session outlives any date a test sets."""
    settings.SESSION_COOKIE_AGE = 20 * 365 * 24 * 3600
    state = {"now": season.at(1, 10)}
    monkeypatch.setattr("django.utils.timezone.now", lambda: state["now"])
    return state


@pytest.fixture
def pokir_clock(clock, season):
    """The clock at 1 March 2026: a week before the 2027 pokir deadline (18 March, 7 days before the
    musrenbang kabupaten opens on 25 March)."""
    clock["now"] = season.at(3, 1)
    return clock


def status_of(login, name, url, method="get", data=None):
    """outcome() per role; "login" for the anonymous visitor sent to the login page."""
    client = Client() if name == "anonymous" else login(name)
    response = getattr(client, method)(url, data or {})
    if name == "anonymous":
        return "login" if response.status_code == 302 and response["Location"].startswith("/admin/login/") else response.status_code
    return outcome(response)


@pytest.fixture
def submitted(season, clock):
    """Three proposals of Bolok submitted to Kupang Barat (Jalan, Sumur, Posyandu), one of Babau to
    Kupang Timur; the clock left in the kecamatan window (10 February 2026)."""
    mb, p = season.mb, season.p

    def new(desa_login, solution, **fields):
        usulan = services.create_usulan(p[desa_login], mb.proposal(solution=solution, **fields) if desa_login == "desa_bolok"
                                        else mb.proposal(desa=mb.babau, kecamatan=mb.timur, solution=solution, **fields))
        services.submit_usulan(p[desa_login], usulan)
        return Usulan.objects.get(pk=usulan.pk)

    items = {
        "jalan": new("desa_bolok", "Jalan", beneficiaries=100),
        "sumur": new("desa_bolok", "Sumur", beneficiaries=300),
        "posyandu": new("desa_bolok", "Posyandu"),
        "babau": new("desa_babau", "Babau"),
    }
    clock["now"] = season.at(2, 10)  # the kecamatan window
    return items


def pokir_data(season, **overrides):
    """The pokir form's POST: two sumur bor in Kupang Barat from the kamus."""
    data = {"year": "2027", "kecamatan": season.mb.barat.pk, "desa": "", "solution": "Sumur bor untuk Dusun 2 hasil reses",
            "problem": "Air bersih jauh", "volume": "2", "kamus": season.well.pk, "land_status": "not_needed"}
    data.update(overrides)
    return data


def steps_on(response):
    return [item["step"] for item in response.context["steps"]]
