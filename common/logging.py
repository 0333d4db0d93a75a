"""Structured JSON logs on stdout, one object per line, with the service name on every record.

Personal data never goes into a log: callers log ids and counts, never message text or phone
numbers.
"""

import logging
import sys

from pythonjsonlogger.json import JsonFormatter


class _ServiceFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(service)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_ServiceFilter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Servers and job runners (uvicorn, arq) install handlers of their own before our code runs;
    # route their records through ours instead, so each line is logged once, as JSON.
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.handlers[:] = []
            logger.propagate = True
    # httpx logs every request's full URL at INFO; query strings can carry personal data.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # The twilio library logs each request's form (phone numbers, message bodies) at INFO.
    logging.getLogger("twilio").setLevel(logging.WARNING)
