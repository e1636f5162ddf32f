from admission.choices import Status


def test_happy_path(flow, demo):
    req = flow.approved()
    assert req.status == Status.APPROVED
    assert req.admission_no.startswith("津河西准〔")
