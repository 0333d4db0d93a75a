"""The protocol number a member can quote, ANS style: operator registration + date + sequence.

ANS gives every service contact a 20-digit protocol: the operator's 6-digit ANS registration, the
date (yyyymmdd, the operator's calendar day) and a 6-digit sequence of that day (DOMAIN.md; check
against the current ANS rule before relying on it). Each service that gives protocols (the
handoff service, the insurer sandbox) keeps its own daily counter in SQL; the number's shape is
this module's.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

# A placeholder registration for the sandbox operator; each insurer configures its own.
DEMO_ANS_REGISTRATION = "000000"
# The protocol's date is the operator's calendar day, not UTC's.
PROTOCOL_TIME_ZONE = ZoneInfo("America/Sao_Paulo")
SEQUENCE_DIGITS = 6


def is_ans_registration(value: str) -> bool:
    return re.fullmatch(r"\d{6}", value) is not None


def protocol_day(now: datetime) -> str:
    """The counter's day: yyyymmdd on the operator's calendar."""
    return now.astimezone(PROTOCOL_TIME_ZONE).strftime("%Y%m%d")


def protocol_number(ans_registration: str, day: str, sequence: int) -> str:
    if not is_ans_registration(ans_registration):
        raise ValueError("the ANS registration is 6 digits")
    # Past 999999 in a day the number grows a digit rather than repeating one.
    return f"{ans_registration}{day}{sequence:0{SEQUENCE_DIGITS}d}"
