import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()
    assert "e-Planning" in response.content.decode()
