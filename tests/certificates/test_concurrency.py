"""Certificate numbers under concurrency (PostgreSQL): unique and gap-free per community and year."""

import threading

import pytest
from django.db import connection

from certificates.models import Certificate
from certificates.schemas import ReviewSchema


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_get_distinct_gap_free_numbers(make_application, settings):
    from certificates import services
    from portal.models import User

    settings.CELERY_TASK_ALWAYS_EAGER = True
    apps = [make_application() for _ in range(8)]
    staff = User.objects.get(username="community_staff")
    barrier = threading.Barrier(len(apps))
    errors = []

    def approve(app_id):
        try:
            barrier.wait(timeout=30)
            services.application_review(
                user=staff,
                application_id=app_id,
                data=ReviewSchema.parse({"decision": "approve", "comment": "并发"}),
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    from unittest import mock

    # Rendering is not what this test is about: keep the PDFs out of it.
    with mock.patch("certificates.services.enqueue"):
        threads = [threading.Thread(target=approve, args=(a.pk,)) for a in apps]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert not errors, errors
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == list(range(1, len(apps) + 1))
    assert Certificate.objects.values("number").distinct().count() == len(apps)
