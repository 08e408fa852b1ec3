"""The one check of an HTTP error response that every web test shares."""


def problem(resp, status=422) -> dict:
    """The first problem of a 4xx response, after checking its status and that no traceback leaked."""
    assert resp.status_code == status, resp.text
    assert "Traceback" not in resp.text
    detail = resp.json()["detail"]
    assert isinstance(detail, list) and detail
    return detail[0]
