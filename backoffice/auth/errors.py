"""Putting a service's refusal next to the form field it concerns."""

from flask import flash

from ..services.errors import ServiceError, ValidationFailed


def show_service_error(form, error: ServiceError) -> None:
    """Attach the error to the form's field when there is one, else flash it."""
    items = (
        error.errors.items()
        if isinstance(error, ValidationFailed)
        else [(error.field, error.message)]
    )
    for field_name, message in items:
        field = getattr(form, field_name, None) if field_name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            flash(message, "danger")
