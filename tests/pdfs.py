"""Small real files for upload tests."""
import io
import zipfile

from coursesite.coursefile.samplepdf import minimal_pdf, pdf_of_pages

__all__ = ["HW1_PY", "README", "minimal_pdf", "pdf_of_pages", "zip_of"]


def zip_of(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


HW1_PY = b"import numpy as np\n\ndef relu(a):\n    return np.maximum(a, 0)\n"
README = b"# HW1\nRun `python hw1.py`.\n"
