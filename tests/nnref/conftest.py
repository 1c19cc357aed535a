"""nnref's tests run with every warning as an error: NumPy's overflow, divide and invalid
warnings included, so "warning-free" is checked, not hoped for."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    # This hook sees the items of the whole session; mark only the ones in this folder.
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.filterwarnings("error"))
