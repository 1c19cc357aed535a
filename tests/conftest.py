import pytest


@pytest.fixture(autouse=True)
def site_test_settings(request, tmp_path):
    """Uploads go to a fresh folder per test, and passwords hash fast (~0.3 s each otherwise).

    Pure tests (nnref, the rule modules) also run without pytest-django: then there is nothing to set.
    """
    if not request.config.pluginmanager.has_plugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
