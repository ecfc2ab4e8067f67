"""Value objects as plain JSON documents, for storing them."""

import dataclasses
import enum


def as_document(view):
    """A view (or a dict or list of views) as plain JSON values, for
    storing: the fields left ``None`` that only some answers carry are
    left out, as the API leaves them out."""
    if dataclasses.is_dataclass(view):
        return {
            field.name: as_document(getattr(view, field.name))
            for field in dataclasses.fields(view)
            if not (
                getattr(view, field.name) is None and field.default is None
            )
        }
    if isinstance(view, dict):
        return {key: as_document(value) for key, value in view.items()}
    if isinstance(view, list):
        return [as_document(value) for value in view]
    if isinstance(view, enum.Enum):
        return view.value
    return view
