import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()
    assert "e-Planning" in response.content.decode()


def test_admin_speaks_indonesian_whatever_the_browser_says(client):
    for accept in ("id-ID,id;q=0.9", "en-US,en;q=0.9", ""):
        page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        assert "Masuk ke Wagtail" in page and "Nama pengguna" in page, accept
