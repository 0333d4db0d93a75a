"""The insurer's answer to a new authorization request, from the rules (rules.yml), the plan's
coverage and the urgency. Pure: the service stores what this decides."""

from dataclasses import dataclass
from datetime import date

from sandbox import markets
from sandbox.coverage.service import CategoryCoverage
from sandbox.requests.enums import RequestStatus, Urgency
from sandbox.rules import URGENCY, Classification, Rules


class NotCovered(Exception):
    """The plan does not cover the procedure (or no plan does)."""


@dataclass(frozen=True)
class Decision:
    status: RequestStatus
    ans_category: str
    ans_max_business_days: int
    promised_date: date
    # Which notes.NOTES entry the member reads for it.
    note: str


def decide(
    *,
    rules: Rules,
    classification: Classification,
    coverage: CategoryCoverage | None,
    urgency: str,
    market: str,
    today: date,
) -> Decision:
    """`coverage` is None for a procedure no keyword recognised: an analyst looks at it.

    - urgent or emergency, in a category the rules approve at once, covered, no waiting period
      running: approved now;
    - urgent or emergency otherwise: immediate review (the ANS urgency deadline, 0 days);
    - elective: review within the category's ANS deadline, in business days from today.
    """
    if classification.excluded or (coverage is not None and not coverage.covered):
        raise NotCovered(classification.category)
    if Urgency(urgency) is not Urgency.ELECTIVE:
        approved = (
            coverage is not None
            and coverage.waiting_period_ends is None
            and rules.auto_approves(classification.category)
        )
        return Decision(
            status=RequestStatus.APPROVED if approved else RequestStatus.IN_REVIEW,
            ans_category=URGENCY,
            ans_max_business_days=rules.deadline(URGENCY),
            promised_date=today,
            note="urgent_approved" if approved else "urgent_review",
        )
    days = rules.deadline(classification.category)
    return Decision(
        status=RequestStatus.IN_REVIEW,
        ans_category=classification.category,
        ans_max_business_days=days,
        promised_date=markets.add_business_days(market, today, days),
        note="in_review",
    )
