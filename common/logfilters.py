"""Logging filters: client mistakes are logged as one line, never as a traceback."""

import logging


class WithoutTraceback(logging.Filter):
    """Django logs a bad Host header (DisallowedHost) with its stack; a line is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
