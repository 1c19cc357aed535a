"""The staff pages of code similarity: an assignment's comparisons and archive, and a pair side by side with
a link that opens an integrity case on it. For the course's instructors and education associate
(similarity.access); the services decide what may be written."""
from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from coursesite.assignments.models import Assignment
from coursesite.bodylimits import takes_files, upload_refusal
from coursesite.display import plural
from coursesite.people.models import Membership
from coursesite.similarity.access import get_assignment_for_similarity, get_pair_for_similarity
from coursesite.similarity.forms import ArchiveRemoveForm, ArchiveUploadForm
from coursesite.similarity.selectors import (
    archive_terms,
    case_prefill,
    pair_cases,
    pair_sides,
    similarity_summary,
)
from coursesite.similarity.services import SimilarityRefused, archive_add, archive_term_remove, similarity_run_request
from coursesite.similarity.sidebyside import match_links
from similarity.archive import read_archive
from similarity.inputs import InputError

MAX_SKIPPED_SHOWN = 10


def assignment_page(request: HttpRequest, assignment: Assignment, member: Membership, *,
                    upload_form: ArchiveUploadForm | None = None, status: int = 200) -> HttpResponse:
    return render(request, "similarity/assignment.html", {
        "course": assignment.course, "member": member, "assignment": assignment,
        "summary": similarity_summary(assignment), "terms": archive_terms(assignment),
        "upload_form": upload_form or ArchiveUploadForm(),
        "archive_max": settings.SIMILARITY_ARCHIVE_MAX_BYTES // (1024 * 1024),
    }, status=status)


@require_safe
@login_required
def similarity_assignment(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    assignment, member = get_assignment_for_similarity(request.user, slug, key)
    return assignment_page(request, assignment, member)


@require_POST
@login_required
def similarity_compare(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    assignment, member = get_assignment_for_similarity(request.user, slug, key)
    try:
        similarity_run_request(assignment=assignment, by=member, now=timezone.now())
    except SimilarityRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"The comparison of {assignment.title} is queued: this page shows its pairs once "
                                  f"it is done.")
    return redirect("similarity:assignment", slug, key)


@require_safe
@login_required
def similarity_pair(request: HttpRequest, slug: str, key: str, pair_id: int) -> HttpResponse:
    pair, member = get_pair_for_similarity(request.user, slug, key, pair_id)
    sides = pair_sides(pair)
    prefill = case_prefill(pair, request.build_absolute_uri(request.path))
    return render(request, "similarity/pair.html", {
        "course": pair.run.assignment.course, "member": member, "assignment": pair.run.assignment, "pair": pair,
        "run": pair.run, "a": sides[0], "b": sides[1], "matches": match_links(pair.matches),
        "case_url": f"{reverse('integrity:case-open', args=[slug])}?{urlencode(prefill)}",
        "cases": pair_cases(pair),
    })


def archive_max_bytes(**_) -> int:
    return settings.SIMILARITY_ARCHIVE_MAX_BYTES


@takes_files(archive_max_bytes, shows_refusal=True)
@require_POST
@login_required
def archive_upload(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    assignment, member = get_assignment_for_similarity(request.user, slug, key)
    form = ArchiveUploadForm(request.POST, request.FILES, refused=upload_refusal(request))
    if form.is_valid():
        term = form.cleaned_data["term"]
        try:
            archive = read_archive(form.cleaned_data["archive"])
            added = archive_add(assignment=assignment, term=term, submissions=archive.submissions, by=member,
                                now=timezone.now())
        except (InputError, SimilarityRefused) as refusal:
            form.add_error(None, f"{refusal} Nothing was stored.")
        else:
            messages.success(request, f"Added {plural(added, 'submission')} of {' '.join(term.split())}; the next "
                                      f"comparison includes them.")
            for line in archive.skipped[:MAX_SKIPPED_SHOWN]:
                messages.warning(request, f"Left out: {line}")
            if len(archive.skipped) > MAX_SKIPPED_SHOWN:
                messages.warning(request, f"Left out: {len(archive.skipped) - MAX_SKIPPED_SHOWN} more files or "
                                          f"folders.")
            return redirect("similarity:assignment", slug, key)
    return assignment_page(request, assignment, member, upload_form=form, status=400)


@require_POST
@login_required
def archive_remove(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    assignment, member = get_assignment_for_similarity(request.user, slug, key)
    form = ArchiveRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say which term to remove from the archive.")
        return redirect("similarity:assignment", slug, key)
    term = form.cleaned_data["term"]
    try:
        removed = archive_term_remove(assignment=assignment, term=term, by=member)
    except SimilarityRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Removed {term} from the archive: {plural(removed, 'submission')}, and the pairs "
                                  f"earlier comparisons found with them.")
    return redirect("similarity:assignment", slug, key)
