"""What a page's layout works out once per process stays right: the static files' hashed
addresses (core.static) and the addresses of views without arguments (core.addresses)."""

import json

import pytest
from django.urls import set_script_prefix

from core.addresses import address
from core.static import StaticFilesStorage


@pytest.fixture
def storage(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/nrm.css": "css/nrm.0123abcd.css"}, "version": "1.1"})
    )
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_an_asset_keeps_its_hashed_address(storage):
    assert storage.url("css/nrm.css") == "/static/css/nrm.0123abcd.css"
    assert storage.url("css/nrm.css") == "/static/css/nrm.0123abcd.css"


def test_a_missing_asset_fails_every_time(storage):
    for _attempt in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")


def test_an_address_follows_the_script_prefix():
    assert address("notifications:inbox") == "/notifications/"
    set_script_prefix("/nrm/")
    try:
        assert address("notifications:inbox") == "/nrm/notifications/"
    finally:
        set_script_prefix("/")
    assert address("notifications:inbox") == "/notifications/"
