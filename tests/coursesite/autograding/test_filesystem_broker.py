"""The embedded default's broker writes each message whole before a worker can take it (coursesite/autograding/broker.py)."""
import os
from queue import Empty

import pytest
from kombu import Connection

from coursesite.autograding import broker
from coursesite.celery import app


@pytest.fixture
def channel(tmp_path):
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}
    with Connection("filesystem://", transport_options=options) as connection:
        yield connection.channel()


def test_the_sites_filesystem_broker_url_means_the_whole_message_transport():
    with app.connection_for_write("filesystem://") as connection:
        assert isinstance(connection.transport, broker.Transport)


def test_a_worker_polling_while_a_message_is_written_finds_nothing_to_take(channel, monkeypatch):
    taken_midway = []

    def write_while_polled(text):
        try:
            taken_midway.append(channel._get("grading"))      # what a worker polling now would take
        except Empty:
            taken_midway.append(None)
        return text.encode()

    monkeypatch.setattr(broker, "str_to_bytes", write_while_polled)
    channel._put("grading", {"body": "submission 7"})
    assert taken_midway == [None]
    assert channel._get("grading") == {"body": "submission 7"}


def test_a_taken_message_leaves_no_file_behind(channel, tmp_path):
    channel._put("grading", {"body": "submission 8"})
    channel._get("grading")
    assert os.listdir(tmp_path) == []
