"""Where a negotiation stands, kept in the `negotiation` slot between turns: the debt the offers
were made on, the offers, the member's payday and the offer picked. Plain JSON, so the tracker
store keeps it and the agent who takes over sees it in the handoff summary."""

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from actions.negotiation.policy import Debt, Installment, Offer

SLOT = "negotiation"
STAGE_SLOT = "negotiation_stage"
# The stages the rules follow (data/rules/negotiation.yml).
OFFERED, SUMMARISED, AGREED = "offered", "summarised", "agreed"


@dataclass(frozen=True)
class Negotiation:
    debt: Debt
    invoice_ids: tuple[str, ...]
    offers: tuple[Offer, ...]
    payday: int | None = None
    chosen: Offer | None = None
    terms_text: str | None = None
    agreement_id: str | None = None

    def with_offers(self, offers: list[Offer], payday: int | None) -> "Negotiation":
        return replace(self, offers=tuple(offers), payday=payday, chosen=None, terms_text=None)

    def as_slot(self) -> dict[str, Any]:
        return {
            "debt": asdict(self.debt),
            "invoice_ids": list(self.invoice_ids),
            "offers": [_offer_json(offer) for offer in self.offers],
            "payday": self.payday,
            "chosen": _offer_json(self.chosen) if self.chosen else None,
            "terms_text": self.terms_text,
            "agreement_id": self.agreement_id,
        }


def negotiation_from(value: Any) -> Negotiation | None:
    """The slot's negotiation; None when there is none or it cannot be read (a slot written by
    an older version): the member is then shown the offers again."""
    if not isinstance(value, dict):
        return None
    try:
        chosen = value.get("chosen")
        return Negotiation(
            debt=Debt(**value["debt"]),
            invoice_ids=tuple(value["invoice_ids"]),
            offers=tuple(_offer(offer) for offer in value["offers"]),
            payday=value.get("payday"),
            chosen=_offer(chosen) if chosen else None,
            terms_text=value.get("terms_text"),
            agreement_id=value.get("agreement_id"),
        )
    except (KeyError, TypeError, ValueError):
        return None


def installments_json(offer: Offer) -> list[dict[str, Any]]:
    """The instalments as the insurer API writes them (docs/insurer-api.md, "Agreements")."""
    return [
        {"number": i.number, "due_date": i.due.isoformat(), "amount_cents": i.amount_cents}
        for i in offer.installments
    ]


def _offer_json(offer: Offer) -> dict[str, Any]:
    return {
        "tier": offer.tier,
        "discount_cents": offer.discount_cents,
        "interest_cents": offer.interest_cents,
        "installments": installments_json(offer),
    }


def _offer(value: dict[str, Any]) -> Offer:
    return Offer(
        tier=str(value["tier"]),
        discount_cents=int(value["discount_cents"]),
        interest_cents=int(value["interest_cents"]),
        installments=tuple(
            Installment(
                number=int(i["number"]),
                due=date.fromisoformat(i["due_date"]),
                amount_cents=int(i["amount_cents"]),
            )
            for i in value["installments"]
        ),
    )
