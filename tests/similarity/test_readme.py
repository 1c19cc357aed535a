"""The declarations of a README (collaborators, outside sources), read from the HW1 handout's template as
students fill it in, and from the ways they change it."""
from pathlib import Path

import pytest

from similarity.readme import MAX_ANSWER, declarations, readme_of

TEMPLATE = (Path(__file__).resolve().parents[2] / "handouts" / "hw1" / "README.md").read_text()
COLLABORATORS = '**Collaborators** (who, and on what; "none" is an answer):  '
OUTSIDE_SOURCES = '**Outside sources** (links, books; "none" is an answer):  '


def filled(collaborators: str, outside_sources: str) -> str:
    """The handout's README with the two answers written after the labels, as the template asks."""
    assert COLLABORATORS in TEMPLATE and OUTSIDE_SOURCES in TEMPLATE
    return (TEMPLATE.replace(COLLABORATORS, COLLABORATORS + collaborators)
            .replace(OUTSIDE_SOURCES, OUTSIDE_SOURCES + outside_sources))


def test_the_handout_template_unfilled_declares_nothing():
    assert declarations(TEMPLATE) == {"Collaborators": "", "Outside sources": ""}


def test_the_handout_template_filled_gives_both_answers():
    text = filled("Bob Lee (we compared gradient checks)  ", "cs231n notes on backprop")
    assert declarations(text) == {"Collaborators": "Bob Lee (we compared gradient checks)",
                                  "Outside sources": "cs231n notes on backprop"}


def test_none_is_an_answer():
    assert declarations(filled("none", "None.")) == {"Collaborators": "none", "Outside sources": "None."}


def test_an_answer_on_the_lines_below_its_label_stops_at_the_next_label():
    text = filled("\nBob Lee, on backprop  \nCarol Diaz, on softmax", "")
    assert declarations(text) == {"Collaborators": "Bob Lee, on backprop\nCarol Diaz, on softmax",
                                  "Outside sources": ""}


def test_an_answer_stops_at_a_blank_line():
    text = filled("", "https://cs231n.github.io/optimization-2/\n\nI also liked the lecture.")
    assert declarations(text)["Outside sources"] == "https://cs231n.github.io/optimization-2/"


def test_an_answer_stops_at_a_heading_without_a_blank_line():
    text = "**Outside sources**: the NumPy docs\n## How to run my code\npython hw1.py\n"
    assert declarations(text)["Outside sources"] == "the NumPy docs"


def test_a_bold_word_inside_an_answer_does_not_end_it():
    text = "**Collaborators**:\n**Bob** explained broadcasting\n"
    assert declarations(text)["Collaborators"] == "**Bob** explained broadcasting"


@pytest.mark.parametrize("line", [
    "Collaborators: Bob",
    "collaborators: Bob",
    "COLLABORATORS : Bob",
    "Collaborator: Bob",
    "Collaborator(s): Bob",
    "- **Collaborators**: Bob",
    "* Collaborators: Bob",
    "**Collaborators:** Bob",
    "**Collaborators (who, and on what):** Bob",
    "__Collaborators__: Bob",
    "**Collaborators: Bob**",
    "  **Collaborators**   (who):    Bob   ",
    "Collaborators: Bob\\",
    "## Collaborators\nBob",
    "**Collaborators**\nBob",
])
def test_variants_of_the_label_are_understood(line):
    assert declarations(line + "\n**Outside sources**: none\n") == {"Collaborators": "Bob", "Outside sources": "none"}


def test_a_readme_without_the_labels_declares_nothing():
    assert declarations("# My HW1\n\nI worked alone and used no sources.\n") == {"Collaborators": "",
                                                                                "Outside sources": ""}


def test_the_first_answer_given_wins_over_a_later_mention():
    text = filled("Bob", "none") + "\nCollaborators: I also asked Dana on Piazza.\n"
    assert declarations(text)["Collaborators"] == "Bob"


def test_an_empty_template_label_lets_a_later_answer_count():
    text = TEMPLATE + "\nCollaborators: Dana\n"
    assert declarations(text)["Collaborators"] == "Dana"


def test_a_long_answer_is_cut_with_an_ellipsis():
    answer = declarations(filled("Bob " * 1000, ""))["Collaborators"]
    assert len(answer) == MAX_ANSWER and answer.endswith("…") and answer.startswith("Bob Bob")


def test_a_hostile_line_of_spaces_and_brackets_is_read_quickly():
    """Python's re backtracks: patterns over a long run of spaces or open brackets could take hours."""
    text = "**Collaborators**" + " " * 200_000 + "(" * 200_000 + "\n**Outside sources**: none\n"
    assert declarations(text)["Outside sources"] == "none"


def test_readme_of_prefers_the_top_level_readme_md():
    files = {"hw1.py": "", "README.txt": "txt", "README.md": "md", "docs/README.md": "nested"}
    assert readme_of(files) == "md"


def test_readme_of_takes_readme_txt_or_a_bare_readme_in_any_case():
    assert readme_of({"hw1.py": "", "readme.TXT": "txt", "README": "bare"}) == "txt"
    assert readme_of({"hw1.py": "", "Readme": "bare"}) == "bare"


def test_readme_of_falls_back_to_a_readme_in_a_subfolder():
    assert readme_of({"hw1/hw1.py": "", "hw1/README.md": "nested"}) == "nested"


def test_readme_of_a_submission_without_one_is_none():
    assert readme_of({"hw1.py": "", "notes.pdf": "", "README.pdf": ""}) is None
