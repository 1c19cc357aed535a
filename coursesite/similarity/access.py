"""Who may see code similarity: the course's instructors and education associate, as for the integrity cases
a pair may lead to. A student gets 404 (nothing says a comparison exists); a TA gets 403 saying who to ask."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from coursesite.assignments.access import get_assignment_for_member
from coursesite.assignments.models import Assignment
from coursesite.people.access import get_course_for_user
from coursesite.people.models import Membership
from coursesite.similarity.models import SimilarPair

SEEN_BY = ("Code similarity is seen by the course's instructors and education associate only: bring what you "
           "noticed in a submission to them.")


def get_assignment_for_similarity(user, slug: str, key: str) -> tuple[Assignment, Membership]:
    """The coding assignment and the admin's membership; 404 for students, outsiders and other kinds of work."""
    _, member = get_course_for_user(user, slug)
    if member.role == Membership.Role.STUDENT:
        raise Http404("No such page.")
    if not member.is_course_admin:
        raise PermissionDenied(SEEN_BY)
    assignment = get_assignment_for_member(member, key)
    if assignment.kind != Assignment.Kind.CODING:
        raise Http404(f"{assignment.title} is not a coding assignment: only code is compared for similarity.")
    return assignment, member


def get_pair_for_similarity(user, slug: str, key: str, pair_id: int) -> tuple[SimilarPair, Membership]:
    assignment, member = get_assignment_for_similarity(user, slug, key)
    pair = get_object_or_404(SimilarPair.objects.select_related("run__requested_by", "a__member__user",
                                                                "b__member__user", "b_archived"),
                             id=pair_id, run__assignment=assignment)
    pair.run.assignment = assignment
    return pair, member
