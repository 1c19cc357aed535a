"""The pages write times one way: through the coursetime filters (coursesite.display owns the format)."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Formats for machines, not people, which a page may still write with Django's date filter.
MACHINE_FORMATS = {"c", "U", "Y-m-d", "Y-m-d\\TH:i"}
DATE_FILTER = re.compile(r"""\|\s*(?:date|time)\b\s*(?::\s*["']([^"']*)["'])?""")


def test_no_page_writes_a_time_for_people_with_its_own_format():
    own_formats = [
        f"{path.relative_to(TEMPLATES)}: |date:{match.group(1)!r}"
        for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))
        for match in DATE_FILTER.finditer(path.read_text())
        if match.group(1) not in MACHINE_FORMATS
    ]
    assert own_formats == [], "use |coursetime:course, |coursedate:course or |coursesecond:course"


def test_no_page_sets_its_own_time_zone():
    blocks = [str(path.relative_to(TEMPLATES)) for path in sorted(TEMPLATES.rglob("*.html"))
              if "{% timezone" in path.read_text() or "|localtime" in path.read_text()]
    assert blocks == [], "the coursetime filters read the course's own zone"
