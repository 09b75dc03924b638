"""Peta Usulan in a real browser (Debian's Chromium, headless, driven by selenium): a user logs in,
the map draws one marker per located proposal in the user's scope over the boundaries, and a status
filter redraws it. Run alone with:

    .venv/bin/pytest tests/musrenbang/test_map_browser.py

Skipped only where no Chromium is installed (a user's clone); `.ci/run` installs it."""

import shutil

import pytest

from tests.musrenbang import conftest as musrenbang_world

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"),
    pytest.mark.django_db(transaction=True),
]
mb = musrenbang_world.mb
mapped = musrenbang_world.mapped
KECAMATAN = {
    "53.01.05": {"type": "Polygon", "coordinates": [[[123.4, -10.3], [123.8, -10.3], [123.8, -9.9], [123.4, -9.9], [123.4, -10.3]]]},
    "53.01.06": {"type": "Polygon", "coordinates": [[[123.8, -10.3], [124.2, -10.3], [124.2, -9.9], [123.8, -9.9], [123.8, -10.3]]]},
}


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def log_in(browser, live_server, username):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys("rahasia-123")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # The click returns before the login is answered: wait for the dashboard, or the next page
    # asked for would race the session cookie and land on the login form.
    WebDriverWait(browser, 30).until(lambda driver: "/admin/login/" not in driver.current_url)


def drawn(browser, expected):
    """The map's markers once it has drawn `expected` of them (waits for the fetch and Leaflet)."""
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    def ready(driver):
        element = driver.find_element(By.ID, "usulan-map")
        return element.get_attribute("data-state") == "ready" and element.get_attribute("data-marker-count") == str(expected)

    try:
        WebDriverWait(browser, 30).until(ready)
    except TimeoutException:
        element = browser.find_element(By.ID, "usulan-map")
        pytest.fail(
            f"map not drawn with {expected} markers: state={element.get_attribute('data-state')} "
            f"markers={element.get_attribute('data-marker-count')} summary={browser.find_element(By.ID, 'map-summary').text!r} "
            f"url={browser.current_url} console={browser.get_log('browser')}"
        )
    return browser.find_elements(By.CSS_SELECTOR, "#usulan-map path.usulan-marker")


def test_the_map_draws_the_proposals_over_the_boundaries_and_filters_them(live_server, browser, mb, mapped):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    for code, boundary in KECAMATAN.items():
        type(mb.barat).objects.filter(code=code).update(boundary=boundary)
    log_in(browser, live_server, "bappeda")
    browser.get(f"{live_server.url}/admin/musrenbang/peta/?tahun=2027")

    # Bappeda sees every located proposal: the road, the well, the village's draft and the clinic.
    markers = drawn(browser, 4)
    assert len(markers) == 4
    routed = browser.find_elements(By.CSS_SELECTOR, "path.usulan-marker.usulan-status-routed")
    assert len(routed) == 1 and routed[0].get_attribute("fill") == "#6a3d9a"
    assert len(browser.find_elements(By.CSS_SELECTOR, "path.wilayah-kecamatan")) == 2
    assert len(browser.find_elements(By.CSS_SELECTOR, "path.wilayah-desa")) == 1  # only Bolok's boundary is imported
    assert "4 usulan di peta, 1 usulan tanpa koordinat" in browser.find_element(By.ID, "map-summary").text

    # Choosing statuses redraws the map without reloading the page.
    status = Select(browser.find_element(By.ID, "id_status"))
    status.select_by_value("routed")
    assert len(drawn(browser, 1)) == 1
    status.select_by_value("rejected_kecamatan")
    assert len(drawn(browser, 2)) == 2
    assert "status=routed" in browser.current_url

    # A popup names the proposal as text.
    routed = browser.find_element(By.CSS_SELECTOR, "path.usulan-marker.usulan-status-routed")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", routed)
    # Leaflet fades the popup in and pans the map until it fits; selenium reads only the text shown,
    # so wait for the whole popup rather than read it mid-animation.
    def popup_text(driver):
        text = driver.find_element(By.CSS_SELECTOR, ".leaflet-popup-content").text
        return text if mapped["road"].tracking_code in text else False

    popup = WebDriverWait(browser, 10).until(popup_text)
    assert "Diteruskan ke perangkat daerah" in popup and "Bolok, Kupang Barat" in popup


def test_a_kecamatan_operator_sees_its_own_proposals_only(live_server, browser, mb, mapped):
    log_in(browser, live_server, "kec-timur")
    browser.get(f"{live_server.url}/admin/musrenbang/peta/?tahun=2027")
    assert len(drawn(browser, 1)) == 1
