"""uploads.py on its own: what is refused and why, and what an accepted upload holds. No database."""
import hashlib
import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from coursesite.assignments.uploads import (
    CheckedFile,
    CheckedUpload,
    UploadLimits,
    UploadRefused,
    check_code_upload,
    check_pdf_upload,
    pdf_name,
)
from tests.coursesite.assignments.hostile import (
    FAKE_PDF,
    GARBAGE_PDF,
    MB,
    zip_bomb,
    zip_encrypted_flag,
    zip_lying_about_size,
    zip_with_duplicate_names,
    zip_with_symlink,
)
from tests.pdfs import HW1_PY, README, minimal_pdf, zip_of

LIMITS = UploadLimits(pdf_max_bytes=20 * MB, code_file_max_bytes=MB, code_total_max_bytes=5 * MB, code_max_files=20)
REQUIRED = ["hw1.py", "README.md"]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def pdf(content: bytes, name: str = "writeup.pdf", limits: UploadLimits = LIMITS) -> CheckedUpload:
    return check_pdf_upload([upload(name, content)], limits)


def code(*uploads: SimpleUploadedFile, limits: UploadLimits = LIMITS) -> CheckedUpload:
    return check_code_upload(list(uploads), REQUIRED, limits)


def code_zip(files: dict[str, bytes], limits: UploadLimits = LIMITS) -> CheckedUpload:
    return code(upload("hw1.zip", zip_of(files)), limits=limits)


def contents(checked: CheckedUpload) -> dict[str, bytes]:
    return {f.name: f.content for f in checked.files}


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(UploadRefused) as refused:
        call(*args, **kwargs)
    return str(refused.value)


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_without_pages() -> bytes:
    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


# --- PDF write-ups --------------------------------------------------------------------------------


def test_real_pdf_is_accepted_with_its_bytes_and_digest():
    content = minimal_pdf()
    checked = pdf(content)
    assert contents(checked) == {"writeup.pdf": content}
    assert checked.files[0].sha256 == hashlib.sha256(content).hexdigest()


def test_pdf_name_is_reduced_to_a_safe_file_name():
    assert pdf_name("C:\\Users\\me\\Homework 1 final.PDF") == "Homework-1-final.pdf"
    assert pdf_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert pdf_name("###") == "writeup.pdf"
    assert contents(pdf(minimal_pdf(), name="ps1 answers.pdf")).keys() == {"ps1-answers.pdf"}


def test_text_renamed_to_pdf_is_refused():
    assert refusal(pdf, FAKE_PDF) == "“writeup.pdf” is not a PDF file. Export your write-up from LaTeX as a PDF."


def test_pdf_header_followed_by_garbage_is_refused_as_damaged():
    assert "could not be read as a PDF" in refusal(pdf, GARBAGE_PDF)


def test_truncated_pdf_is_refused_as_damaged():
    assert "could not be read as a PDF" in refusal(pdf, minimal_pdf()[:200])


def test_password_protected_pdf_is_refused():
    assert "is password-protected" in refusal(pdf, encrypted_pdf())


def test_pdf_without_pages_is_refused():
    assert refusal(pdf, pdf_without_pages()) == "“writeup.pdf” has no pages."


def test_empty_pdf_is_refused():
    assert refusal(pdf, b"") == "“writeup.pdf” is empty."


def test_pdf_over_the_limit_is_refused_before_reading():
    small = UploadLimits(pdf_max_bytes=1024, code_file_max_bytes=1024, code_total_max_bytes=4096, code_max_files=3)
    big = minimal_pdf() + b"%" * 2048
    assert refusal(pdf, big, limits=small) == "“writeup.pdf” is 2 KB; the limit is 1 KB."


def test_pdf_whose_claimed_size_lies_is_still_read_only_to_the_limit():
    small = UploadLimits(pdf_max_bytes=1024, code_file_max_bytes=1024, code_total_max_bytes=4096, code_max_files=3)
    lying = upload("writeup.pdf", minimal_pdf() + b"%" * 2048)
    lying.size = 10
    assert refusal(check_pdf_upload, [lying], small) == "“writeup.pdf” is larger than the limit of 1 KB."


def test_no_pdf_is_refused():
    assert refusal(check_pdf_upload, [], LIMITS) == "Choose your write-up as one PDF file."


def test_several_pdfs_are_refused():
    two = [upload("a.pdf", minimal_pdf()), upload("b.pdf", minimal_pdf())]
    assert "Upload exactly one PDF file" in refusal(check_pdf_upload, two, LIMITS)


# --- Coding work: separate files ------------------------------------------------------------------


def test_code_as_separate_files_is_accepted():
    checked = code(upload("hw1.py", HW1_PY), upload("README.md", README), upload("notes.txt", b"extra\n"))
    assert contents(checked) == {"hw1.py": HW1_PY, "README.md": README, "notes.txt": b"extra\n"}


def test_no_code_files_is_refused():
    assert refusal(code) == "Choose your files (hw1.py, README.md), or one zip file holding them."


def test_missing_readme_is_refused():
    message = refusal(code, upload("hw1.py", HW1_PY))
    assert message == "Missing required file(s): README.md. You handed in: hw1.py."


@pytest.mark.parametrize("name", ["hw1.exe", ".bashrc", "hw1.py.sh", "run me.py", "-rf.py", "hw..1.py", "hw1.pyc"])
def test_disallowed_file_names_are_refused(name):
    with pytest.raises(UploadRefused, match="not an allowed file name|not a code or text file"):
        code(upload(name, b"x"), upload("hw1.py", HW1_PY), upload("README.md", README))


def test_duplicate_file_names_are_refused():
    message = refusal(code, upload("hw1.py", HW1_PY), upload("hw1.py", b"pass\n"), upload("README.md", README))
    assert message == "These files appear twice: hw1.py."


def test_too_many_files_are_refused():
    extra = [upload(f"notes{i}.txt", b"n\n") for i in range(19)]
    message = refusal(code, upload("hw1.py", HW1_PY), upload("README.md", README), *extra)
    assert message == "21 files is too many; at most 20."


def test_code_file_over_the_limit_is_refused():
    assert refusal(code, upload("hw1.py", b"#" * (2 * MB)), upload("README.md", README)) == (
        "“hw1.py” is 2.0 MB; the limit is 1.0 MB."
    )


def test_empty_code_file_is_refused():
    assert refusal(code, upload("hw1.py", b""), upload("README.md", README)) == "“hw1.py” is empty."


def test_code_files_over_the_total_limit_are_refused():
    small = UploadLimits(pdf_max_bytes=1024, code_file_max_bytes=2048, code_total_max_bytes=3072, code_max_files=5)
    message = refusal(code, upload("hw1.py", b"#" * 2048), upload("README.md", b"#" * 2048), limits=small)
    assert message == "Your files add up to 4 KB; the limit is 3 KB."


# --- Coding work: one zip -------------------------------------------------------------------------


def test_code_as_a_zip_is_accepted():
    assert contents(code_zip({"hw1.py": HW1_PY, "README.md": README})) == {"hw1.py": HW1_PY, "README.md": README}


def test_zip_of_a_folder_is_accepted_with_the_folder_dropped():
    files = {"hw1/": b"", "hw1/hw1.py": HW1_PY, "hw1/README.md": README}
    assert contents(code_zip(files)) == {"hw1.py": HW1_PY, "README.md": README}


def test_macos_junk_in_a_zip_is_ignored():
    files = {"hw1/hw1.py": HW1_PY, "hw1/README.md": README, "hw1/.DS_Store": b"\0\0\0\1Bud1",
             "__MACOSX/hw1/._hw1.py": b"\0\5\26\7", "__MACOSX/._hw1": b"\0\5\26\7"}
    assert contents(code_zip(files)) == {"hw1.py": HW1_PY, "README.md": README}


def test_stored_zip_compression_is_accepted():
    archive = zip_of({"hw1.py": HW1_PY, "README.md": README}, compression=zipfile.ZIP_STORED)
    assert contents(code(upload("hw1.zip", archive))) == {"hw1.py": HW1_PY, "README.md": README}


@pytest.mark.parametrize("path", ["../hw1.py", "hw1/../../hw1.py", "/home/alice/hw1.py", "C:/hw1.py", "hw1\\hw1.py"])
def test_zip_paths_leading_out_are_refused(path):
    message = refusal(code_zip, {path: HW1_PY, "README.md": README})
    assert message == f"The zip holds “{path}”, a path that leads outside the submission; zip only your files."


def test_zip_with_symlink_is_refused():
    message = refusal(code, upload("hw1.zip", zip_with_symlink()))
    assert message == "The zip holds “hw1.py”, a symbolic link; zip the files themselves."


def test_zip_with_encrypted_entry_is_refused():
    assert refusal(code, upload("hw1.zip", zip_encrypted_flag())) == (
        "The zip is password-protected; upload it without a password."
    )


def test_zip_bomb_is_refused_by_its_declared_size():
    assert len(zip_bomb()) < 1 * MB
    assert refusal(code, upload("hw1.zip", zip_bomb())) == "The zip unpacks to 200.0 MB; the limit is 5.0 MB."


def test_zip_lying_about_its_size_is_refused_without_inflating():
    assert refusal(code, upload("hw1.zip", zip_lying_about_size())) == (
        "“hw1.py” in the zip is damaged or uses an unsupported compression."
    )


def test_zip_member_over_the_file_limit_is_refused():
    message = refusal(code_zip, {"hw1.py": b"#" * (MB + 1), "README.md": README})
    assert message == "“hw1.py” unpacks to more than 1.0 MB."


def test_zip_with_files_in_a_sub_sub_folder_is_refused():
    message = refusal(code_zip, {"hw1/src/hw1.py": HW1_PY, "hw1/README.md": README})
    assert message == "The zip holds “hw1/src/hw1.py” in a sub-folder; put your files at its top level."


def test_zip_with_too_many_files_is_refused():
    files = {"hw1.py": HW1_PY, "README.md": README} | {f"n{i}.txt": b"n" for i in range(19)}
    assert refusal(code_zip, files) == "The zip holds 21 files; at most 20 are allowed."


def test_zip_with_duplicate_names_is_refused():
    assert refusal(code, upload("hw1.zip", zip_with_duplicate_names())) == "These files appear twice: hw1.py."


def test_zip_missing_readme_is_refused():
    assert refusal(code_zip, {"hw1.py": HW1_PY}).startswith("Missing required file(s): README.md.")


def test_zip_with_a_disallowed_name_is_refused():
    assert "not a code or text file" in refusal(code_zip, {"hw1.py": HW1_PY, "README.md": README, "a.exe": b"MZ"})


def test_zip_holding_a_zip_is_refused():
    inner = zip_of({"hw1.py": HW1_PY})
    assert "“inner.zip” is not a code or text file" in refusal(code_zip, {"inner.zip": inner, "README.md": README})


def test_zip_holding_only_junk_is_refused():
    assert refusal(code_zip, {"__MACOSX/._hw1.py": b"x", "hw1/": b""}) == "The zip holds no files."


def test_text_renamed_to_zip_is_refused():
    assert refusal(code, upload("hw1.zip", b"not a zip")) == "“hw1.zip” is not a valid zip file."


def test_zip_next_to_other_files_is_refused():
    message = refusal(code, upload("hw1.zip", zip_of({"hw1.py": HW1_PY})), upload("README.md", README))
    assert message.startswith("“hw1.zip” is not a code or text file")


# --- Damaged files get a refusal, not a server error (each of these crashed uploads.py) -------


def test_pdf_declaring_a_huge_cross_reference_table_is_refused():
    huge = minimal_pdf().replace(b"xref\n0 6\n", b"xref\n0 99999999\n")
    assert "could not be read as a PDF (LimitReachedError)" in refusal(pdf, huge)


def test_zip_needing_a_future_zip_version_is_refused():
    archive = bytearray(zip_of({"hw1.py": HW1_PY, "README.md": README}))
    struct.pack_into("<H", archive, archive.find(b"PK\x01\x02") + 6, 173)   # "version needed": 17.3
    assert refusal(code, upload("hw1.zip", bytes(archive))) == "“hw1.zip” is not a valid zip file."


def test_zip_entry_without_a_name_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo(""), b"x")
        archive.writestr("hw1.py", HW1_PY)
        archive.writestr("README.md", README)
    assert refusal(code, upload("hw1.zip", out.getvalue())) == (
        "“hw1.zip” is not a valid zip file: it holds an entry without a name."
    )


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_zip_with_corrupted_compressed_data_is_refused(compression):
    archive = bytearray(zip_of({"hw1.py": HW1_PY * 5, "README.md": README}, compression))
    data_at = 30 + len("hw1.py")                         # the first entry's data, after its local header
    for i in range(data_at + 4, data_at + 20):
        archive[i] ^= 0x5A
    assert refusal(code, upload("hw1.zip", bytes(archive))) == (
        "“hw1.py” in the zip is damaged or uses an unsupported compression."
    )


def test_zip_whose_entry_offset_points_before_the_archive_is_refused():
    archive = bytearray(zip_of({"hw1.py": HW1_PY, "README.md": README}))
    end = archive.rfind(b"PK\x05\x06")
    struct.pack_into("<I", archive, end + 16, struct.unpack_from("<I", archive, end + 16)[0] + 10**6)
    with pytest.raises(UploadRefused):
        code(upload("hw1.zip", bytes(archive)))


# --- The submission digest ------------------------------------------------------------------------


names = st.from_regex(r"[a-z][a-z0-9_]{0,8}\.(py|md|txt)", fullmatch=True)


@given(st.dictionaries(names, st.binary(max_size=64), min_size=1, max_size=6), st.randoms())
def test_submission_digest_does_not_depend_on_file_order(files, random):
    checked = [CheckedFile(name, content) for name, content in files.items()]
    shuffled = checked[:]
    random.shuffle(shuffled)
    assert CheckedUpload(tuple(checked)).sha256 == CheckedUpload(tuple(shuffled)).sha256


def test_submission_digest_covers_names_and_contents():
    base = CheckedUpload((CheckedFile("hw1.py", HW1_PY), CheckedFile("README.md", README)))
    renamed = CheckedUpload((CheckedFile("hw2.py", HW1_PY), CheckedFile("README.md", README)))
    edited = CheckedUpload((CheckedFile("hw1.py", HW1_PY + b"\n"), CheckedFile("README.md", README)))
    assert len({base.sha256, renamed.sha256, edited.sha256}) == 3


# --- Robustness: anything a student sends ends in a refusal or an upload, never a crash ----------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.integers(min_value=0, max_value=800))
def test_damaged_pdfs_are_refused_not_crashed_on(junk, cut):
    try:
        pdf(minimal_pdf()[:cut] + junk)
    except UploadRefused:
        pass


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]),
    st.lists(st.tuples(st.integers(min_value=0, max_value=400), st.integers(0, 255)), max_size=6),
)
def test_damaged_zips_are_refused_not_crashed_on(compression, flips):
    archive = bytearray(zip_of({"hw1.py": HW1_PY * 3, "README.md": README}, compression))
    for at, value in flips:
        archive[at % len(archive)] = value
    try:
        code(upload("hw1.zip", bytes(archive)))
    except UploadRefused:
        pass
