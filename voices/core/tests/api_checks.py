"""Checks the API tests of every app share."""


def assert_error(response, status: int, code: str) -> dict:
    """The response is the API's one error format, `{code, message, details}`, with `code`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]
    return body
