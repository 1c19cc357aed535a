"""Hostile and odd uploads, built in memory: zips with escapes, links, bombs and lying headers."""
import functools
import io
import stat
import struct
import warnings
import zipfile

from tests.pdfs import HW1_PY, README, zip_of

MB = 1024 * 1024

FAKE_PDF = b"These are my answers, saved as text and renamed to .pdf\n"
# Starts like a PDF, then nothing a PDF reader can use.
GARBAGE_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def zip_with_symlink(name: str = "hw1.py", target: str = "/etc/passwd") -> bytes:
    """A zip whose `name` entry is a symbolic link (as `zip --symlinks` makes it) to `target`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        link = zipfile.ZipInfo(name)
        link.create_system = 3                                   # Unix: external_attr holds st_mode
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, target)
        archive.writestr("README.md", README)
    return out.getvalue()


@functools.cache
def zip_bomb() -> bytes:
    """hw1.py unpacks to 200 MB of zeros; the zip is about 200 KB. Built once per test run."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("hw1.py", "w") as member:
            chunk = bytes(MB)
            for _ in range(200):
                member.write(chunk)
        archive.writestr("README.md", README)
    return out.getvalue()


def patch_entry(content: bytes, name: str, *, file_size: int | None = None, flag_bits: int | None = None) -> bytes:
    """Rewrite an entry's headers (central directory and local header) without touching its data."""
    data = bytearray(content)
    found = False
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + name_len]) == name.encode():
            found = True
            local = struct.unpack_from("<I", data, at + 42)[0]
            assert data[local:local + 4] == b"PK\x03\x04"
            if file_size is not None:
                struct.pack_into("<I", data, at + 24, file_size)     # central: uncompressed size
                struct.pack_into("<I", data, local + 22, file_size)  # local: uncompressed size
            if flag_bits is not None:
                struct.pack_into("<H", data, at + 8, flag_bits)
                struct.pack_into("<H", data, local + 6, flag_bits)
        at = data.find(b"PK\x01\x02", at + 4)
    assert found, name
    return bytes(data)


@functools.cache
def zip_lying_about_size() -> bytes:
    """hw1.py is 8 MB of zeros, but its headers claim 1 KB: only the claim passes the size check."""
    honest = zip_of({"hw1.py": bytes(8 * MB), "README.md": README})
    return patch_entry(honest, "hw1.py", file_size=1024)


def zip_encrypted_flag() -> bytes:
    """hw1.py marked as encrypted (general purpose flag bit 0), as `zip -e` marks it."""
    return patch_entry(zip_of({"hw1.py": HW1_PY, "README.md": README}), "hw1.py", flag_bits=0x1)


def zip_with_duplicate_names() -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)             # zipfile: "Duplicate name"
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hw1.py", HW1_PY)
            archive.writestr("hw1.py", b"print('the other one')\n")
            archive.writestr("README.md", README)
    return out.getvalue()
