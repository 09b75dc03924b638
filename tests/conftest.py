"""Shared test fixtures.

Real public data lives in ../shared/data beside the repository (CI always has it); tests that
need it take the `shared_data` fixture and are skipped with the reason where it is absent.
"""

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(os.environ.get("SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (set SHARED_DATA to point at shared/data)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Many tests create a user per role; the default hasher makes each one slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
