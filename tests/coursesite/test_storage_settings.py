"""Which storage settings.py gives media, from the environment (its media storage block)."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.s3server import storages_for

S3 = {"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "secret",
      "AWS_S3_REGION_NAME": "us-east-1"}
UNSET = {"MEDIA_STORAGE": "", "AWS_STORAGE_BUCKET_NAME": ""}


def test_without_a_bucket_media_stays_on_the_file_system():
    assert storages_for(UNSET)["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_name_alone_puts_media_in_a_private_bucket_without_signed_urls():
    default = storages_for({**UNSET, **S3, "AWS_STORAGE_BUCKET_NAME": "course-media"})["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == \
        ("course-media", "http://127.0.0.1:9000", "us-east-1")
    assert (options["default_acl"], options["querystring_auth"], options["file_overwrite"]) == ("private", False, False)


def test_media_storage_filesystem_wins_over_a_bucket_name():
    default = storages_for({**S3, "MEDIA_STORAGE": "filesystem", "AWS_STORAGE_BUCKET_NAME": "course-media"})["default"]
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_media_storage_s3_without_a_bucket_is_refused_with_the_setting_to_add():
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME"):
        storages_for({**UNSET, **S3, "MEDIA_STORAGE": "s3"})


def test_an_unknown_media_storage_is_refused():
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE must be 'filesystem' or 's3', not 'gcs'"):
        storages_for({**UNSET, "MEDIA_STORAGE": "gcs"})
