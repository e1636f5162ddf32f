"""The one domain exception type. Views show its message; the API turns it into a 4xx error body."""


class DomainError(Exception):
    """An error a user can cause, with a clear Chinese message.

    ``status`` is the HTTP status the API answers with (400 validation, 403, 404, 409 state conflict,
    413 too large, 429 throttled); ``fields`` maps form fields to their messages.
    """

    status = 400
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        fields: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.fields = fields or {}


class ConflictError(DomainError):
    """The object is no longer in the state the action needs (409)."""

    status = 409
    code = "conflict"


class PermissionDeniedError(DomainError):
    status = 403
    code = "forbidden"


class NotFoundError(DomainError):
    status = 404
    code = "not_found"


class ThrottledError(DomainError):
    status = 429
    code = "throttled"
