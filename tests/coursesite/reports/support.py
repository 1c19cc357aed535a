"""The story of the reports' tests and what it should print, computed from the course file, not the site's code.

The demo course (courses/10707-s21.toml) on March 20, 2021:
- released: Problem set 1, Coding assignment 1, Problem set 2 and Midterm 1; Coding assignment 2 has
  scores but is NOT released;
- alice: 90, 92 (2 days late), 94 (1 day late), midterm 94; 77.77 on Coding assignment 2 (unreleased);
  one grace day added by the education associate;
- bob: Problem set 1 95 but 4 days late (the late policy scores it 0), 80, 70, midterm 60; 50 on
  Coding assignment 2 (unreleased);
- carol: nothing yet.
"""
import io
import tomllib
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdf
from django.conf import settings

from coursesite.grades import weighting

SEED = settings.BASE_DIR / "courses" / "10707-s21.toml"
NOW = datetime(2021, 3, 20, 12, 0, tzinfo=ZoneInfo("America/New_York"))
DAY = timedelta(days=1)
RELEASED = ("ps1", "hw1-coding", "ps2", "midterm-1")
SCORES = {   # username -> assignment key -> points
    "alice": {"ps1": "90", "hw1-coding": "92", "ps2": "94", "midterm-1": "94", "hw2-coding": "77.77"},
    "bob": {"ps1": "95", "hw1-coding": "80", "ps2": "70", "midterm-1": "60", "hw2-coding": "50"},
}
SUBMITTED_AFTER_DUE = {   # username -> assignment key -> when the active submission came, after the due time
    "alice": {"ps1": -DAY, "hw1-coding": DAY + timedelta(hours=3), "ps2": timedelta(minutes=1)},
    "bob": {"ps1": 3 * DAY + timedelta(minutes=1), "hw1-coding": -DAY, "ps2": -DAY},
}


def pdf_text(content: bytes) -> str:
    """The PDF's text, every page, white space collapsed (table cells may break lines anywhere)."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_pages(content: bytes) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(content)).pages)


# What the PDFs should say.

COURSE_FILE = tomllib.loads(SEED.read_text(encoding="utf-8"))
WEIGHTS = [weighting.Category(c["name"], Decimal(c["weight"])) for c in COURSE_FILE["categories"]]
CATEGORY_OF = {c["key"]: c["name"] for c in COURSE_FILE["categories"]}
ZEROED = {("bob", "ps1")}          # 4 days late: more than the 3 grace days one assignment may use


def expected_scores(username: str, *, staff_view: bool) -> list[weighting.Score]:
    """Every assignment of the course file with the points that count for this student."""
    scores = []
    for a in COURSE_FILE["assignments"]:
        entered = SCORES.get(username, {}).get(a["key"])
        visible = staff_view or a["key"] in RELEASED
        earned = None
        if entered is not None and visible:
            earned = Decimal(0) if (username, a["key"]) in ZEROED else Decimal(entered)
        scores.append(weighting.Score(CATEGORY_OF[a["category"]], earned, Decimal(a["points"])))
    return scores


def expected_total(username: str, *, staff_view: bool = False, final: bool = False) -> str:
    total = weighting.weighted_total(WEIGHTS, expected_scores(username, staff_view=staff_view), missing_as_zero=final)
    return weighting.display_percent(total)


def expected_category(username: str, name: str, *, staff_view: bool = False, final: bool = False) -> str:
    percents = weighting.category_percentages(WEIGHTS, expected_scores(username, staff_view=staff_view),
                                              missing_as_zero=final)
    return weighting.display_percent(percents[name])


def expected_letter(shown: str) -> str:
    """The letter of a total as shown ("89.83%"), from the course file's cutoffs."""
    if shown == "—":
        return "—"
    value = Decimal(shown.rstrip("%"))
    cutoffs = sorted(COURSE_FILE["letter_grades"].items(), key=lambda item: item[1], reverse=True)
    return next((letter for letter, minimum in cutoffs if value >= minimum), f"below {cutoffs[-1][0]}")


def expected_grace_days_used(username: str) -> int:
    """Started days late of each late submission the late policy does not score 0."""
    return sum(-(-after // DAY) for key, after in SUBMITTED_AFTER_DUE.get(username, {}).items()
               if after > timedelta(0) and (username, key) not in ZEROED)
