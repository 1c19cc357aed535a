"""Two members of staff answering one request at once answer it once and change the score once."""
import threading
import time
from decimal import Decimal as D

import pytest
from django.db import connection, transaction

from coursesite.regrades.models import RegradeRequest
from coursesite.regrades.services import RegradeRefused, regrade_request_answer
from tests.coursesite.regrades.conftest import NOW, fresh, score_of


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_staff_answering_at_once_change_the_score_once(q2_request, pset, alice, associate, instructor):
    answered, outcomes = threading.Event(), []

    def answer_and_hold():
        with transaction.atomic():
            regrade_request_answer(regrade_request=q2_request, by=associate, note="Agreed.", score_change=D(2), now=NOW)
            answered.set()
            time.sleep(0.3)                  # the other answer arrives while this one is uncommitted
        connection.close()

    def answer_too():
        answered.wait()
        try:
            regrade_request_answer(regrade_request=RegradeRequest.objects.get(pk=q2_request.pk), by=instructor,
                                   note="Agreed too.", score_change=D(2), now=NOW)
            outcomes.append("answered")
        except RegradeRefused as refusal:
            outcomes.append(str(refusal))
        connection.close()

    threads = [threading.Thread(target=answer_and_hold), threading.Thread(target=answer_too)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == ["This request was already answered by Fiona Jeffrey on Wed Mar 10, 12:00 PM EST."]
    assert (fresh(q2_request).answered_by, score_of(alice, pset)) == (associate.user, D(15))
