"""What the similarity pages read: an assignment's latest comparisons and its archive, the two sides of a pair
(their files, marked, and the README declarations beside them), and the case a pair may already have."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max

from coursesite.assignments.models import Assignment, Submission
from coursesite.assignments.storedfiles import StoredFileChanged, StoredFileUnreadable, submission_files_read
from coursesite.assignments.uploads import UploadLimits
from coursesite.display import in_course_time
from coursesite.integrity.models import Case
from coursesite.similarity.models import SimilarityRun, SimilarPair
from coursesite.similarity.sidebyside import Region, ShownFile, lines_in_words, regions_of, shown_files
from similarity.readme import declarations, readme_of

R = SimilarityRun.Status
MAX_EVIDENCE_REGIONS = 10


@dataclass(frozen=True)
class Summary:
    """The similarity page's top: the latest run (any status), the latest done one and its pairs."""
    latest: SimilarityRun | None
    done: SimilarityRun | None
    pairs: list[SimilarPair]
    handed_in_since: int        # active submissions handed in after the done run started


def similarity_summary(assignment: Assignment) -> Summary:
    runs = assignment.similarity_runs.select_related("requested_by")
    latest = runs.first()
    done = runs.filter(status=R.DONE).first()
    if done is None:
        return Summary(latest, None, [], 0)
    pairs = list(done.pairs.select_related("a__member__user", "b__member__user", "b_archived")
                 .prefetch_related("a__group__members__member__user", "b__group__members__member__user"))
    since = Submission.objects.filter(assignment=assignment, is_active=True,
                                      submitted_at__gt=done.started_at or done.requested_at).count()
    return Summary(latest, done, pairs, since)


def archive_terms(assignment: Assignment) -> list[dict]:
    """One row per term of the archive: its submissions, who uploaded it and when."""
    return list(assignment.archived_submissions.values("term", "uploaded_by__first_name", "uploaded_by__last_name",
                                                       "uploaded_by__username")
                .annotate(submissions=Count("id"), uploaded_at=Max("uploaded_at")).order_by("term"))


def coding_assignments_with_pairs(course) -> list[tuple[Assignment, SimilarityRun | None, int]]:
    """The course's coding assignments, each with its latest done comparison and the pairs it found."""
    rows = []
    for assignment in course.assignments.filter(kind=Assignment.Kind.CODING).order_by("due_at", "id"):
        done = assignment.similarity_runs.filter(status=R.DONE).annotate(n=Count("pairs")).first()
        rows.append((assignment, done, done.n if done else 0))
    return rows


@dataclass
class Side:
    """One hand-in of a pair as the page shows it."""
    name: str                               # "Alice Adams (alice)", "Spring 2020 archive: s20_x"
    members: list = field(default_factory=list)     # a group's students
    handed_in: datetime | None = None
    uploaded_by: str = ""                   # Andrew ID of who uploaded it ("" for an archived one)
    files: list[ShownFile] = field(default_factory=list)
    problem: str = ""                       # why its files can't be shown
    declared: dict[str, str] | None = None  # None: no README
    archived: bool = False


def pair_sides(pair: SimilarPair) -> tuple[Side, Side]:
    a = _submission_side(pair.a, regions_of(pair.matches, "a"))
    if pair.b_id:
        return a, _submission_side(pair.b, regions_of(pair.matches, "b"))
    entry = pair.b_archived
    files = entry.files()
    return a, Side(name=f"{entry.term} archive: {entry.name}", handed_in=None, archived=True,
                   files=shown_files(files, regions_of(pair.matches, "b")), declared=_declared(files))


def _submission_side(submission: Submission, regions: list[Region]) -> Side:
    user = submission.member.user
    side = Side(name=f"{user.display_name} ({user.username})", handed_in=submission.submitted_at,
                uploaded_by=user.username)
    if submission.group_id:
        side.members = submission.students()
        side.name = "Group of " + ", ".join(f"{m.user.display_name} ({m.user.username})" for m in side.members)
    try:
        raw = submission_files_read(submission, UploadLimits.from_settings())
    except (StoredFileChanged, StoredFileUnreadable) as trouble:
        side.problem = f"Its files can't be read from storage now ({trouble})."
        return side
    files = {name: data.decode("utf-8", errors="replace") for name, data in raw.items()}
    side.files, side.declared = shown_files(files, regions), _declared(files)
    return side


def _declared(files: dict[str, str]) -> dict[str, str] | None:
    text = readme_of(files)
    return None if text is None else declarations(text)


def pair_cases(pair: SimilarPair) -> list[Case]:
    """The cases about this assignment on the pair's students (this term's only, for an archived side)."""
    cases = Case.objects.filter(course_id=pair.run.assignment.course_id, assignment_id=pair.run.assignment_id,
                                students=pair.a.member)
    if pair.b_id:
        cases = cases.filter(students=pair.b.member)
    return list(cases.distinct().order_by("-opened_at"))


def case_prefill(pair: SimilarPair, pair_url: str) -> dict[str, str]:
    """The case-open form's GET prefill for a pair: its students, the assignment, and the evidence in words."""
    run, assignment = pair.run, pair.run.assignment
    a_name = pair.a.member.user.username
    b_name = pair.b.member.user.username if pair.b_id else f"the {pair.b_archived.term} archive's {pair.b_archived.name}"
    when = in_course_time(run.finished_at or run.requested_at, assignment.course)
    # The longest regions say the most; listed in the order of the first hand-in's lines.
    longest = sorted(pair.matches, key=lambda m: m["a_lines"][0] - m["a_lines"][1])[:MAX_EVIDENCE_REGIONS]
    regions = [f"{a_name}'s {m['a_file']} {_lines(m['a_lines'])} match {b_name}'s {m['b_file']} "
               f"{_lines(m['b_lines'])}" for m in sorted(longest, key=lambda m: (m["a_file"], m["a_lines"]))]
    more = len(pair.matches) - len(longest)
    if more > 0:
        regions.append(f"and {more} shorter matched region{'s' if more > 1 else ''}")
    evidence = f"Code similarity {pair.percent} % (comparison of {when}, pair {pair_url}): " + "; ".join(regions) + "."
    students = [a_name] + ([b_name] if pair.b_id else [])
    return {"students": " ".join(students), "assignment": str(assignment.id), "evidence": evidence}


def case_list_section(course) -> tuple[str, dict] | None:
    """The "Code similarity" section of the course's case list; None for a course without coding work."""
    rows = coding_assignments_with_pairs(course)
    return ("similarity/_case_list_section.html", {"rows": rows}) if rows else None


def _lines(span: list[int]) -> str:
    first, last = span
    return f"line {first}" if first == last else f"lines {lines_in_words(first, last)}"
