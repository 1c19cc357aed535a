"""A crowd of demo students for the demo course, so staff pages can be walked (and timed) at a real class's size.

`crowd_load` adds students s001..sNNN and gives them the work a course three weeks into its term has: most hand in
each released problem set (a small valid PDF), some late with grace days, a few not at all; HW1's code is handed
in by most; the problem sets past due are graded with their rubric (all but the late ones, which came in after
the TAs had started) and released; a few students ask for a regrade or an extension; exams already sat are
scored. Everything goes through the services pages use, at the times it would have happened, so the course's
history, ledger and gradebook read as if the term had happened.

Autograded work: submission_create queues a grading job for every hand-in of an autograded assignment, and a
crowd of 400 must not start 400 sandbox runs by default. So, unless `grade` is asked for, those hand-ins are
stored the way the service stores them, each with a finished grading job holding a plausible Gradescope-shaped
result (what a worker would have written), and the score synced by the autograder's own service.

Each student's choices come from a generator seeded with (seed, username, assignment), so a student's story does
not change when the crowd grows. Students that exist already are skipped with everything about them: running the
load again adds nothing.
"""
from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction

from coursesite.assignments.models import Assignment, Submission, SubmissionFile
from coursesite.assignments.services import submission_create
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.autograding.models import GradingJob
from coursesite.autograding.services import autograder_score_sync
from coursesite.coursefile.samplepdf import minimal_pdf
from coursesite.courses.models import Course
from coursesite.display import plural
from coursesite.grades.models import ExtensionRequest
from coursesite.grades.services.extensions import extension_request_create
from coursesite.grades.services.release import grades_release
from coursesite.grades.services.scores import score_set
from coursesite.people.models import Membership, User
from coursesite.regrades.parts import question_part
from coursesite.regrades.selectors import regrade_window_closes_at
from coursesite.regrades.services import regrade_request_open
from coursesite.rubrics.models import Question
from coursesite.rubrics.services import question_grade_save

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
SECTIONS = "ABCD"
DOMAIN = "example.org"

FIRST_NAMES = (
    "Aarav", "Abena", "Adebayo", "Aisha", "Alejandro", "Amara", "Ananya", "Andrei", "Aylin", "Beatriz", "Bilal",
    "Camille", "Chen", "Chiara", "Daniel", "Dmitri", "Elif", "Emeka", "Emily", "Farah", "Felipe", "Fatou", "Gabriel",
    "Hana", "Hiroshi", "Ifeoma", "Ingrid", "Isabella", "Jae-won", "Javier", "Jiayi", "Jonah", "Kavya", "Kenji",
    "Kwame", "Laila", "Liam", "Lucía", "Mateo", "Mei", "Mohammed", "Nadia", "Nikhil", "Noah", "Olga", "Omar",
    "Priya", "Rafael", "Rohan", "Saanvi", "Samuel", "Sofia", "Soo-ah", "Tariq", "Thandiwe", "Tomás", "Valentina",
    "Wei", "Xinyi", "Yara", "Yusuf", "Zanele", "Zoe",
)
LAST_NAMES = (
    "Abdullah", "Adeyemi", "Agarwal", "Andersson", "Bao", "Banerjee", "Castillo", "Chatterjee", "Chen", "Choi",
    "da Silva", "Dubois", "Eze", "Fernández", "Fischer", "García", "Gupta", "Haddad", "Hernández", "Ivanova",
    "Johnson", "Kim", "Kowalski", "Kumar", "Lee", "Li", "Liu", "López", "Mensah", "Müller", "Nakamura", "Nguyen",
    "Novak", "O'Brien", "Okafor", "Park", "Patel", "Petrova", "Popescu", "Quispe", "Rahman", "Reddy", "Rossi",
    "Santos", "Schmidt", "Shah", "Singh", "Smith", "Tanaka", "Thompson", "Van der Berg", "Wang", "Williams", "Wu",
    "Yamamoto", "Yilmaz", "Zhang", "Zhou",
)
REGRADE_REASONS = (
    "My derivation in part (b) reaches the same result by a different route; I think it deserves the full points.",
    "The rubric item says the justification is missing, but it is on the second page of my answer.",
    "I believe the sign error was only in the final line and the rest of the answer is correct.",
)
EXTENSION_NOTES = (
    (ExtensionRequest.Reason.MEDICAL, "I was in hospital for three days this week; I can send the note from the clinic."),
    (ExtensionRequest.Reason.FAMILY, "A family emergency took me home this week; I am back on Monday."),
    (ExtensionRequest.Reason.ABSENCE, "I am travelling to a conference for the university-approved trip this week."),
)


@dataclass
class Crowd:
    """What one load made, for the command to print."""

    students: list[Membership] = field(default_factory=list)
    skipped: int = 0
    handins: dict[str, int] = field(default_factory=dict)       # assignment key -> submissions stored
    late: int = 0
    graded: dict[str, int] = field(default_factory=dict)        # assignment key -> submissions graded with the rubric
    released: list[str] = field(default_factory=list)
    autograded: int = 0                                         # finished jobs written (no --grade)
    queued: int = 0                                             # grading jobs left for the worker (--grade)
    regrade_requests: int = 0
    extension_requests: int = 0
    exam_scores: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        said = []
        for key, n in self.handins.items():
            said.append(f"{key}: {plural(n, 'submission')}")
        if self.late:
            said.append(f"{plural(self.late, 'submission')} handed in late, on grace days")
        for key, n in self.graded.items():
            said.append(f"{key}: {n} graded with the rubric" + (", grades released" if key in self.released else ""))
        if self.autograded:
            said.append(f"{plural(self.autograded, 'coding submission')} with a recorded autograder result "
                        "(no grading jobs were queued; --grade leaves them for the worker instead)")
        if self.queued:
            said.append(f"{plural(self.queued, 'grading job')} queued for the worker")
        said.append(f"{plural(self.regrade_requests, 'open regrade request')}, "
                    f"{plural(self.extension_requests, 'pending extension request')}")
        for key, n in self.exam_scores.items():
            said.append(f"{key}: {plural(n, 'score')} entered")
        if not self.exam_scores:
            said.append("no exam has been sat yet: no exam scores entered")
        return said


def crowd_usernames(count: int) -> list[str]:
    width = max(3, len(str(count)))
    return [f"s{n:0{width}d}" for n in range(1, count + 1)]


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(f"{seed}:{':'.join(parts)}")


def crowd_students_create(*, course: Course, count: int, seed: int, password: str) -> tuple[list[Membership], int]:
    """The students s001..sNNN not yet in the course, created with the demo password (hashed once, shared), in
    sections A-D; returns them and how many already existed."""
    usernames = crowd_usernames(count)
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    hashed = make_password(password)
    users = []
    for username in usernames:
        if username in existing:
            continue
        rng = _rng(seed, username)
        users.append(User(username=username, first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                          email=f"{username}@{DOMAIN}", password=hashed))
    User.objects.bulk_create(users)
    created = User.objects.filter(username__in=[u.username for u in users]).order_by("username")
    Membership.objects.bulk_create(
        Membership(user=user, course=course, role=Membership.Role.STUDENT,
                   section=SECTIONS[(int(user.username[1:]) - 1) % len(SECTIONS)])
        for user in created)
    members = list(Membership.objects.filter(course=course, user__in=created).select_related("user")
                   .order_by("user__username"))
    return members, len(existing)


def _handin_time(rng: random.Random, assignment: Assignment, now: datetime) -> tuple[datetime | None, bool]:
    """When the student hands the assignment in (None: not yet, or never) and whether that is late.

    Past its due time: 6 in 100 never hand in, 10 in 100 are 1-3 days late (no later than now; on work that takes
    grace days), the rest hand in
    during its last four days. Still open: a share growing with the time gone since its release has handed in."""
    release, due = assignment.release_at, assignment.due_at
    roll = rng.random()
    if due < now:
        if roll < 0.06:
            return None, False
        if roll < 0.16 and assignment.uses_grace_days:
            latest = min(now - HOUR, due + 3 * DAY - HOUR)
            if latest > due:
                return due + (latest - due) * rng.uniform(0.05, 1), True
        start = max(release, due - 4 * DAY)
        return start + (due - HOUR - start) * rng.random(), False
    gone = (now - release) / (due - release)
    if roll >= 0.85 * gone or now - release < 2 * HOUR:
        return None, False
    return release + (now - HOUR - release) * rng.random(), False


def _upload(assignment: Assignment, member: Membership) -> CheckedUpload:
    name = member.user.display_name
    if assignment.kind == Assignment.Kind.CODING:
        code = (f"# {assignment.title}: {name} ({member.user.username})\nimport numpy as np\n\n\n"
                "def relu(a):\n    return np.maximum(a, 0)\n")
        files = {"README.md": f"# {assignment.title}\nRun `python {assignment.required_files[0]}`.\n".encode()}
        files[assignment.required_files[0]] = code.encode()
        return CheckedUpload(files=tuple(CheckedFile(n, files.get(n, b"# \n")) for n in assignment.required_files))
    return CheckedUpload(files=(CheckedFile(f"{assignment.key}.pdf",
                                            minimal_pdf(f"{assignment.title}: {name}")),))


def _autograder_result(rng: random.Random) -> dict:
    """A Gradescope-shaped result as the HW1 grader writes it: ten visible tests, most passed."""
    names = ("linear", "sigmoid", "relu", "tanh", "softmax", "softmax_cross_entropy", "mlp_forward",
             "mlp_backward: gradient check", "sgd_step", "train: loss goes down")
    tests = []
    for name in names:
        passed = rng.random() < 0.88
        tests.append({"name": name, "score": 1.5 if passed else 0.0, "max_score": 1.5, "visibility": "visible",
                      "status": "passed" if passed else "failed",
                      "output": "" if passed else f"{name}: the output differs from the reference at some entries."})
    return {"score": sum(t["score"] for t in tests), "tests": tests}


def _handin_recorded(*, member: Membership, assignment: Assignment, upload: CheckedUpload, now: datetime,
                     rng: random.Random) -> Submission:
    """An autograded hand-in stored as submission_create stores it (the active submission, its files through the
    storage API), with a finished grading job in place of a queued one; the autograder's service sets the score."""
    with transaction.atomic():
        submission = Submission.objects.create(assignment=assignment, member=member, submitted_at=now,
                                               is_active=True, sha256=upload.sha256)
        for checked in upload.files:
            stored = SubmissionFile(submission=submission, name=checked.name, size=len(checked.content),
                                    sha256=checked.sha256)
            stored.file.save(checked.name, ContentFile(checked.content), save=False)
            stored.save()
        result = _autograder_result(rng)
        finished = now + timedelta(seconds=rng.randint(20, 90))
        GradingJob.objects.create(
            submission=submission, spec_name=assignment.autograder_spec, status=GradingJob.Status.DONE, attempt=1,
            queued_at=now, claimed_at=now, heartbeat_at=finished, finished_at=finished, result=result,
            score=Decimal(str(result["score"])), max_score=Decimal(str(sum(t["max_score"] for t in result["tests"]))))
        autograder_score_sync(submission=submission, now=finished)
    return submission


def _rubric_grade(submission: Submission, questions: list[Question], graders: list[User], rng: random.Random,
                  now: datetime) -> None:
    """A TA grades every question: the full-marks item mostly, another item of the rubric otherwise."""
    by = rng.choice(graders)
    for question in questions:
        items = list(question.items.all())
        if not items:
            continue
        chosen = items[0] if rng.random() < 0.7 or len(items) == 1 else rng.choice(items[1:])
        question_grade_save(submission=submission, question=question, items=[chosen], adjustment=Decimal(0),
                            comment="", by=by, now=now)


def _staff(course: Course, roles: Iterable[str]) -> list[User]:
    return [m.user for m in Membership.objects.filter(course=course, role__in=list(roles)).select_related("user")
            .order_by("order", "id")]


@transaction.atomic
def crowd_load(*, course: Course, count: int, seed: int, password: str, now: datetime, grade: bool = False) -> Crowd:
    """Add `count` crowd students to `course` (those that exist are skipped) and their term so far, up to `now`.

    All or nothing: a failure part way leaves no student half made, whom a second run would skip as done.
    E-mails (the release's) and grading jobs (with `grade`) are sent once it commits."""
    crowd = Crowd()
    crowd.students, crowd.skipped = crowd_students_create(course=course, count=count, seed=seed, password=password)
    if not crowd.students:
        return crowd
    Role = Membership.Role
    tas = _staff(course, [Role.TA]) or _staff(course, Membership.ADMIN_ROLES)
    instructor = (_staff(course, [Role.INSTRUCTOR]) or tas)[0]
    released = (Assignment.objects.filter(course=course, release_at__lte=now, group_size__lte=1)
                .exclude(kind=Assignment.Kind.EXAM).order_by("due_at", "key"))
    handed_in: dict[str, list[tuple[Submission, bool]]] = {}
    for assignment in released:
        made = handed_in.setdefault(assignment.key, [])
        for member in crowd.students:
            rng = _rng(seed, member.user.username, assignment.key)
            when, late = _handin_time(rng, assignment, now)
            if when is None:
                continue
            upload = _upload(assignment, member)
            if assignment.autograder_spec and not grade:
                made.append((_handin_recorded(member=member, assignment=assignment, upload=upload, now=when, rng=rng),
                             late))
                crowd.autograded += 1
            else:
                made.append((submission_create(member=member, assignment=assignment, upload=upload, now=when), late))
                crowd.queued += bool(assignment.autograder_spec)
            crowd.late += late
        crowd.handins[assignment.key] = len(made)
    _grade_problem_sets(crowd, course, released, handed_in, tas, instructor, seed, now)
    _extension_requests(crowd, released, handed_in, seed, now)
    _exam_scores(crowd, course, tas, instructor, seed, now)
    return crowd


def _grade_problem_sets(crowd: Crowd, course: Course, released, handed_in, tas: list[User], instructor: User,
                        seed: int, now: datetime) -> None:
    """Problem sets due a day or more ago: the on-time hand-ins graded with the rubric the day after the due time,
    the grades released a day later (once), and, while the regrade window is open, 1 student in 30 has asked for a
    regrade of a question since."""
    for assignment in released:
        questions = list(Question.objects.filter(assignment=assignment).prefetch_related("items").order_by("number"))
        graded_at, released_at = assignment.due_at + DAY, assignment.due_at + 2 * DAY
        if not questions or released_at > now - HOUR:
            continue
        on_time = [s for s, late in handed_in[assignment.key] if not late]
        for submission in on_time:
            rng = _rng(seed, submission.member.user.username, assignment.key, "graded")
            _rubric_grade(submission, questions, tas, rng, graded_at + rng.random() * 20 * HOUR)
        crowd.graded[assignment.key] = len(on_time)
        if assignment.grades_released_at is None:
            assignment = grades_release(assignment=assignment, by=instructor, now=released_at)
            crowd.released.append(assignment.key)
        if regrade_window_closes_at(assignment) < now:
            continue        # requests made then would have been answered by now
        for submission in _some(on_time, 1 / 30, seed, assignment.key, "regrade", lambda s: s.member):
            rng = _rng(seed, submission.member.user.username, assignment.key, "regrade")
            opened = released_at + (now - released_at) * rng.random()
            regrade_request_open(submission=submission, member=submission.member, part=question_part(
                rng.choice(questions)), justification=rng.choice(REGRADE_REASONS), now=opened)
            crowd.regrade_requests += 1


def _some(candidates: list, share: float, seed: int, key: str, what: str, member_of) -> list:
    """About `share` of the candidates, each drawn by their own generator; at least one when there are any, so
    that even a small crowd has the request waiting for the staff."""
    chosen = [c for c in candidates if _rng(seed, member_of(c).user.username, key, what, "ask").random() < share]
    return chosen or candidates[:1]


def _extension_requests(crowd: Crowd, released, handed_in, seed: int, now: datetime) -> None:
    """1 student in 50 asks for more time on an open assignment they have not handed in, in the last two days."""
    for assignment in (a for a in released if a.due_at > now and a.uses_grace_days):
        done = {s.member_id for s, _ in handed_in[assignment.key]}
        waiting = [m for m in crowd.students if m.id not in done]
        for member in _some(waiting, 1 / 50, seed, assignment.key, "extension", lambda m: m):
            rng = _rng(seed, member.user.username, assignment.key, "extension")
            reason, note = rng.choice(EXTENSION_NOTES)
            extension_request_create(member=member, assignment=assignment, reason=reason, note=note, document=None,
                                     now=now - 2 * DAY * rng.random())
            crowd.extension_requests += 1


def _exam_scores(crowd: Crowd, course: Course, tas: list[User], instructor: User, seed: int, now: datetime) -> None:
    """Exams already sat: every crowd student's score entered by a TA the day after (roughly normal around 78 of
    100, in half points), released two days after the exam."""
    for exam in Assignment.objects.filter(course=course, kind=Assignment.Kind.EXAM, due_at__lt=now - DAY):
        for member in crowd.students:
            rng = _rng(seed, member.user.username, exam.key)
            share = min(1.0, max(0.2, rng.gauss(0.78, 0.11)))
            points = Decimal(round(float(exam.points) * share * 2)) / 2
            score_set(member=member, assignment=exam, points=points, by=rng.choice(tas), now=exam.due_at + DAY)
        crowd.exam_scores[exam.key] = len(crowd.students)
        if exam.grades_released_at is None and exam.due_at + 2 * DAY < now:
            grades_release(assignment=exam, by=instructor, now=exam.due_at + 2 * DAY)
