"""The embedded default's broker: kombu's file-system transport, with each message written whole before
any worker can see it.

kombu's own ``_put`` creates the message file under its final name, then writes it; a worker polling in
between moves the still-empty file away, fails to parse it and stops for good ("Unrecoverable error:
JSONDecodeError"). Here the message is written under a name no worker reads (``_get`` takes only
``<stamp>_<uuid>.<queue>.msg``), then renamed into place, which is atomic within a folder.
``coursesite/celery.py`` makes ``filesystem://`` mean this transport.
"""
from __future__ import annotations

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def use_whole_message_transport() -> None:
    """``filesystem://`` broker URLs name this transport (kombu resolves URL schemes through its aliases)."""
    TRANSPORT_ALIASES["filesystem"] = f"{__name__}:Transport"
