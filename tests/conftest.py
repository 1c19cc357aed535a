import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, never into the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
