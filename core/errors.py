"""One hierarchy of domain errors. Each carries a message key from core.messages.

Pages catch DomainError and show ``translate(err.key, lang, **err.params)``;
``field`` names the form field the error belongs to so it can be shown next to it.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A user mistake or a refused action; never a bug."""

    def __init__(self, key: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r}, field={self.field!r}, {self.params!r})"


class ValidationError(DomainError):
    """Input that breaks a rule (format, checksum, policy)."""


class ConflictError(DomainError):
    """The action collides with existing data (duplicate phone, already decided)."""


class NotFoundError(DomainError):
    """The thing asked for does not exist or is not visible to this user."""


class PermissionDenied(DomainError):
    """The user may not do this."""


class CodeError(DomainError):
    """A verification code was wrong, expired, used or asked for too soon."""


class AuthError(DomainError):
    """Log-in refused: bad credentials, locked account, expired session."""


class StateError(DomainError):
    """The action is not allowed in the object's current state."""


class PhotoError(DomainError):
    """A photo could not be taken in (not an image, too large, corrupt...)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"photo.problem.{code}", field="photo", **params)
        self.code = code


class FormInvalid(ValidationError):
    """Several fields are wrong at once; ``errors`` maps each field to its own error."""

    def __init__(self, errors: dict[str, DomainError]) -> None:
        super().__init__("common.form_invalid", count=len(errors))
        self.errors = errors


class FieldCollector:
    """Runs field checks and keeps every failure, so a form can show them all at once.

    >>> fields = FieldCollector()
    >>> phone = fields.check("phone", clean_phone, raw_phone)
    >>> fields.raise_if_any()
    """

    def __init__(self) -> None:
        self.errors: dict[str, DomainError] = {}

    def check(self, field: str, func, *args, **kwargs):  # noqa: ANN001, ANN201 - any validator
        try:
            return func(*args, **kwargs)
        except FormInvalid as err:
            self.add(err)
            return None
        except DomainError as err:
            self.errors.setdefault(err.field or field, err)
            return None

    def add(self, err: DomainError) -> None:
        """Keep one error; a FormInvalid contributes each of its field errors."""
        if isinstance(err, FormInvalid):
            for field, field_err in err.errors.items():
                self.errors.setdefault(field, field_err)
        else:
            self.errors.setdefault(err.field or "form", err)

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise next(iter(self.errors.values()))
        if self.errors:
            raise FormInvalid(self.errors)
