from pathlib import Path

import pytest

from similarity.fingerprint import fingerprint, starter_hashes
from tests.similarity.disguise import disguise

CORPUS = Path(__file__).parent / "corpus"
STARTER = Path(__file__).resolve().parents[2] / "handouts" / "hw1" / "hw1.py"     # the HW1 handout students start from
SOLUTIONS = ["alice", "bob", "carol", "dave"]       # written independently, in different styles


def source(name: str) -> str:
    """A solution of the corpus, or (\"starter\") the handout's hw1.py."""
    return (STARTER if name == "starter" else CORPUS / name / "hw1.py").read_text()


@pytest.fixture(scope="session")
def starter():
    return starter_hashes([source("starter")])


@pytest.fixture(scope="session")
def corpus(starter):
    """The four independent solutions and two disguised copies of each (seeds 0 and 1)."""
    fingerprints = {name: fingerprint({"hw1.py": source(name)}, starter) for name in SOLUTIONS}
    for name in SOLUTIONS:
        for seed in (0, 1):
            fingerprints[f"{name}-copy{seed}"] = fingerprint({"hw1.py": disguise(source(name), seed)}, starter)
    return fingerprints
