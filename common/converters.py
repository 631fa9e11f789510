"""URL converters shared by every app's urls.py."""

from django.urls import register_converter


class IdConverter:
    """A database id: 1 to 18 digits. Longer numbers overflow a 64-bit column (a 500 on
    SQLite), so they simply do not match: 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
