"""Fuzzing the whole API from its OpenAPI schema: no operation answers 500, whatever it is sent (issue 13.9).

Bounded (a few valid and a few invalid generated cases per operation, no shrinking, derandomised) so that it
runs in CI on every change. Each case is sent anonymously and with a district official's token, so both the
refusals and the scoped reads run. Every error must come in the JSON error format.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hyp_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

EXAMPLES_PER_OPERATION = 4


@pytest.fixture
def api_schema(demo):
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_operation_answers_500(api_schema, users, settings):
    from portal.models import ApiToken

    settings.JIANFU_VERIFY_THROTTLE_PER_MINUTE = 100_000
    _, key = ApiToken.issue(users["hexi_official"], django_settings.API_TOKEN_TTL)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30  # the whole API, not an empty schema
    failures = []

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hyp_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                for headers in ({}, {"Authorization": f"Bearer {key}"}):
                    response = case.call(headers=headers)
                    try:
                        case.validate_response(response, checks=[not_a_server_error], headers=headers)
                        if response.status_code >= 400:
                            content_type = (response.headers.get("content-type") or [""])[0]
                            assert content_type.startswith("application/json"), content_type
                            assert "error" in response.json()
                    except Exception as exc:  # collect them all, report once
                        failures.append(
                            f"{case.method} {case.formatted_path} → {response.status_code}: {exc!r:.300}"
                        )
                        return

            try:
                run()
            except Unsatisfiable:
                # Nothing can be made invalid (an operation without parameters or body): its valid cases ran.
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert not failures, "\n".join(failures[:20])
