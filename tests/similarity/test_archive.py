"""An archive of earlier submissions: what is kept of it, what is left out with a reason, and what refuses
the whole archive. Every zip is built in memory by the test that reads it; the hostile ones are patched
by hand, since zipfile writes only honest zips."""
import io
import stat
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from similarity import archive as archive_module
from similarity.archive import MAX_DIRECTORY_BYTES, MAX_ENTRIES, MAX_FOLDER_NAME, read_archive
from similarity.inputs import MAX_FILE_BYTES, MAX_FILES, MAX_SUBMISSION_BYTES, InputError

HW1 = "def sigmoid(a):\n    return 1 / (1 + np.exp(-a))\n"
README = "# HW1 — README\n\n**Collaborators** (who, and on what; \"none\" is an answer):  none\n"


def zip_of(files: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip holding files (name -> str, bytes, or a ZipInfo's settings applied by the caller)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            if isinstance(content, zipfile.ZipInfo):
                archive.writestr(content, b"hw1.py")
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def patch_directory(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """The zip with one field of name's entry in its central directory overwritten: what a hostile
    uploader does to make the directory say what the data does not."""
    data = bytearray(data)
    at = data.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_length] == name.encode():
            break
        at = data.index(b"PK\x01\x02", at + 4)
    struct.pack_into(fmt, data, at + offset, value)
    return bytes(data)


def test_each_top_level_folder_is_a_submission_of_its_code_and_readme():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "alice/README.md": README, "bob/hw1.py": HW1}))
    assert result.submissions == {"alice": {"hw1.py": HW1, "README.md": README}, "bob": {"hw1.py": HW1}}
    assert result.skipped == []


def test_files_in_subfolders_keep_their_path_inside_the_submission():
    result = read_archive(zip_of({"alice/src/hw1.py": HW1, "alice/src/utils/helpers.py": HW1, "bob/hw1.py": HW1}))
    assert set(result.submissions["alice"]) == {"src/hw1.py", "src/utils/helpers.py"}


def test_readmes_are_kept_in_their_usual_names_and_other_files_are_left_out_silently():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "alice/readme.txt": "a", "alice/README": "b",
                                  "alice/README.pdf": b"%PDF", "alice/digits.csv": "1,2", "alice/notes.md": "c"}))
    assert set(result.submissions["alice"]) == {"hw1.py", "readme.txt", "README"}
    assert result.skipped == []


def test_zip_tools_junk_hidden_files_and_caches_are_left_out_silently():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "__MACOSX/alice/._hw1.py": b"\0\5\x16\7",
                                  "alice/.DS_Store": b"\0", "alice/.git/hooks/x.py": HW1,
                                  "alice/__pycache__/hw1.py": HW1, ".hidden/hw1.py": HW1}))
    assert result.submissions == {"alice": {"hw1.py": HW1}}
    assert result.skipped == []


def test_windows_backslashes_separate_folders():
    result = read_archive(zip_of({"alice\\hw1.py": HW1, "bob\\src\\hw1.py": HW1}))
    assert result.submissions == {"alice": {"hw1.py": HW1}, "bob": {"src/hw1.py": HW1}}


def test_a_folder_without_a_py_file_is_left_out_with_a_reason():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "bob2019/README.md": README, "bob2019/hw1.ipynb": "{}"}))
    assert list(result.submissions) == ["alice"]
    assert result.skipped == ["bob2019/: no .py file."]


def test_a_file_outside_any_folder_is_left_out_with_a_reason():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "notes.txt": "2019 and 2020"}))
    assert list(result.submissions) == ["alice"]
    assert result.skipped == ["notes.txt: not in a folder; each submission is a top-level folder."]


def test_a_single_folder_holding_the_submissions_is_unwrapped():
    result = read_archive(zip_of({"s20/alice/hw1.py": HW1, "s20/bob/hw1.py": HW1, "s20/bob/README.md": README}))
    assert result.submissions == {"alice": {"hw1.py": HW1}, "bob": {"hw1.py": HW1, "README.md": README}}


def test_a_readme_beside_the_unwrapped_folders_is_named_as_outside_any_folder():
    result = read_archive(zip_of({"s20/README.md": "Spring 2020", "s20/alice/hw1.py": HW1, "s20/bob/hw1.py": HW1}))
    assert list(result.submissions) == ["alice", "bob"]
    assert result.skipped == ["s20/README.md: not in a folder; each submission is a top-level folder."]


def test_a_loose_file_beside_the_wrapping_folder_does_not_stop_the_unwrapping():
    result = read_archive(zip_of({"notes.txt": "F19", "s20/alice/hw1.py": HW1, "s20/bob/hw1.py": HW1}))
    assert list(result.submissions) == ["alice", "bob"]
    assert result.skipped == ["notes.txt: not in a folder; each submission is a top-level folder."]


def test_a_colon_in_a_folder_name_is_not_a_windows_drive():
    result = read_archive(zip_of({"Re: hw1 (alice)/hw1.py": HW1, "bob/hw1.py": HW1}))
    assert list(result.submissions) == ["Re: hw1 (alice)", "bob"]


def test_a_long_path_is_named_shortened_in_its_reason():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "../" + "x" * 5000 + ".py": HW1}))
    [reason] = result.skipped
    assert len(reason) < 300 and "…: a path leading outside the archive" in reason


def test_a_single_submission_with_its_code_at_its_top_is_not_unwrapped():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "alice/tests/test_hw1.py": HW1}))
    assert set(result.submissions["alice"]) == {"hw1.py", "tests/test_hw1.py"}


def test_bytes_that_are_not_a_zip_are_refused():
    with pytest.raises(InputError, match=r"^This is not a zip file: .*one folder per submission"):
        read_archive(b"%PDF-1.7 not an archive at all" * 100)


def test_empty_bytes_are_not_a_zip():
    with pytest.raises(InputError, match="This is not a zip file"):
        read_archive(b"")


def test_an_empty_zip_says_what_a_good_archive_looks_like():
    with pytest.raises(InputError, match=r"No submission found in this archive\. An archive is a \.zip with one "
                                         r"folder per submission, each holding its \.py files and README"):
        read_archive(zip_of({}))


def test_a_zip_of_only_loose_files_has_no_submission():
    with pytest.raises(InputError, match="No submission found"):
        read_archive(zip_of({"hw1.py": HW1, "README.md": README}))


def test_a_path_climbing_out_with_dotdot_is_left_out_with_a_reason():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "../evil.py": HW1, "bob/../../evil.py": HW1}))
    assert result.submissions == {"alice": {"hw1.py": HW1}}
    assert result.skipped == ["../evil.py: a path leading outside the archive (absolute, or with '..').",
                              "bob/../../evil.py: a path leading outside the archive (absolute, or with '..')."]


def test_an_absolute_path_is_left_out_with_a_reason():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "/etc/evil.py": HW1, "C:\\evil\\hw1.py": HW1}))
    assert list(result.submissions) == ["alice"]
    assert [reason.split(":")[0] for reason in result.skipped] == ["/etc/evil.py", "C"]


def test_a_symbolic_link_is_left_out_with_a_reason():
    link = zipfile.ZipInfo("alice/hw1.py")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    result = read_archive(zip_of({"alice/hw1.py": link, "alice/utils.py": HW1}))
    assert result.submissions == {"alice": {"utils.py": HW1}}
    assert result.skipped == ["alice/hw1.py: a symbolic link, which could point anywhere."]


def test_an_encrypted_file_is_left_out_with_a_reason():
    data = patch_directory(zip_of({"alice/hw1.py": HW1, "alice/utils.py": HW1}), "alice/hw1.py", 8, "<H", 0x1)
    result = read_archive(data)
    assert result.submissions == {"alice": {"utils.py": HW1}}
    assert result.skipped == ["alice/hw1.py: encrypted, so it cannot be read."]


def test_a_py_file_over_the_size_limit_is_left_out_with_a_reason():
    big = "x = 1\n" * (600 * 1024 // 6)
    result = read_archive(zip_of({"alice/hw1.py": HW1, "alice/data.py": big}))
    assert result.submissions == {"alice": {"hw1.py": HW1}}
    assert result.skipped == [f"alice/data.py: larger than {MAX_FILE_BYTES // 1024} KB, too big to be a "
                              "submission's code."]


def test_a_file_declaring_a_small_size_but_unpacking_to_more_is_refused():
    """A zip bomb's trick: the directory says 100 bytes, the data inflates to 600 KB."""
    bomb = patch_directory(zip_of({"alice/hw1.py": HW1, "alice/bomb.py": "x = 1\n" * 100_000}),
                           "alice/bomb.py", 24, "<I", 100)
    result = read_archive(bomb)
    assert result.submissions == {"alice": {"hw1.py": HW1}}
    [reason] = result.skipped
    assert reason.startswith("alice/bomb.py: cannot be unpacked")


def test_a_file_compressed_with_bzip2_is_refused_before_it_can_inflate_unbounded():
    data = zip_of({"alice/hw1.py": HW1})
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("alice/bomb.py", "x" * 1000)
    result = read_archive(buffer.getvalue())
    assert result.submissions == {"alice": {"hw1.py": HW1}}
    assert result.skipped == ["alice/bomb.py: compressed with a method other than the usual (deflate); zip it "
                              "again with the ordinary settings."]


def test_a_folder_over_the_size_limit_is_left_out_and_the_others_kept():
    code = "y = 2\n" * (MAX_FILE_BYTES // 6)
    big = {f"bob/part{i}.py": code for i in range(MAX_SUBMISSION_BYTES // MAX_FILE_BYTES + 1)}
    result = read_archive(zip_of({"alice/hw1.py": HW1, **big}))
    assert list(result.submissions) == ["alice"]
    assert result.skipped == [f"bob/: more than {MAX_SUBMISSION_BYTES // 1024 // 1024} MB of .py files and READMEs."]


def test_a_folder_with_too_many_py_files_is_left_out_and_the_others_kept():
    many = {f"bob/f{i}.py": "z = 3\n" for i in range(MAX_FILES + 1)}
    result = read_archive(zip_of({"alice/hw1.py": HW1, **many}))
    assert list(result.submissions) == ["alice"]
    assert result.skipped == [f"bob/: more than {MAX_FILES} .py files; is this one submission?"]


def test_binary_and_non_utf8_py_files_are_left_out_with_a_reason():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "alice/blob.py": b"\x7fELF\0\0",
                                  "alice/latin.py": "s = 'café'\n".encode("latin-1")}))
    assert result.submissions == {"alice": {"hw1.py": HW1}}
    assert result.skipped == ["alice/blob.py: a binary file, not Python source.",
                              "alice/latin.py: not UTF-8 text, so not Python source the grader could run."]


def test_a_folder_whose_py_files_are_all_unreadable_is_left_out():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "bob/hw1.py": b"\0\0"}))
    assert list(result.submissions) == ["alice"]
    assert result.skipped[-1] == "bob/: none of its .py files could be read."


def test_a_readme_in_another_encoding_is_kept_readable():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "alice/README.txt": "Collaborators: José".encode("latin-1")}))
    assert result.submissions["alice"]["README.txt"] == "Collaborators: Jos\N{REPLACEMENT CHARACTER}"


def test_a_folder_name_over_the_length_limit_is_left_out_with_a_reason():
    long = "a" * (MAX_FOLDER_NAME + 1)
    result = read_archive(zip_of({"alice/hw1.py": HW1, f"{long}/hw1.py": HW1}))
    assert list(result.submissions) == ["alice"]
    assert result.skipped == [f"{'a' * 60}…/: a folder name longer than {MAX_FOLDER_NAME} characters."]


def test_folder_names_are_kept_as_written():
    result = read_archive(zip_of({"Ana María (F19)/hw1.py": HW1, "bob 2019/hw1.py": HW1}))
    assert list(result.submissions) == ["Ana María (F19)", "bob 2019"]


def test_an_archive_with_too_many_entries_is_refused():
    with pytest.raises(InputError, match=f"more than {MAX_ENTRIES:,} files and folders"):
        read_archive(zip_of({f"alice/{i}.txt": "" for i in range(MAX_ENTRIES + 1)}, zipfile.ZIP_STORED))


def test_an_archive_understating_its_entry_count_is_refused():
    data = bytearray(zip_of({f"alice/{i}.txt": "" for i in range(MAX_ENTRIES + 1)}, zipfile.ZIP_STORED))
    end = data.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 2, 2)        # entries on this disk, entries in all
    with pytest.raises(InputError, match=f"more than {MAX_ENTRIES:,} files and folders"):
        read_archive(bytes(data))


def test_an_archive_whose_list_of_contents_is_too_big_is_refused_before_zipfile_reads_it():
    names = {f"alice/{i:05}{'x' * 300}.txt": "" for i in range(MAX_DIRECTORY_BYTES // 300)}
    with pytest.raises(InputError, match="list of contents is over"):
        read_archive(zip_of(names, zipfile.ZIP_STORED))


def test_an_archive_unpacking_past_the_total_limit_is_refused(monkeypatch):
    monkeypatch.setattr(archive_module, "MAX_TOTAL_BYTES", 100_000)
    code = "w = 4\n" * 10_000                           # 60 KB a folder: each fine alone, not all together
    with pytest.raises(InputError, match="unpacks to more than"):
        read_archive(zip_of({"alice/hw1.py": code, "bob/hw1.py": code}))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_zip_gives_an_archive_or_an_input_error(data):
    """Any byte of a zip overwritten: never another exception (which would be a server error)."""
    good = bytearray(zip_of({"alice/hw1.py": HW1, "alice/README.md": README, "bob/src/hw1.py": HW1}))
    for _ in range(data.draw(st.integers(1, 4))):
        good[data.draw(st.integers(0, len(good) - 1))] = data.draw(st.integers(0, 255))
    try:
        read_archive(bytes(good))
    except InputError:
        pass


def test_a_folder_of_other_files_only_is_named_as_having_no_python():
    result = read_archive(zip_of({"alice/hw1.py": HW1, "carol/notes.txt": "I ran out of time", "carol/plot.png": "x"}))
    assert list(result.submissions) == ["alice"]
    assert result.skipped == ["carol/: no .py file."]
