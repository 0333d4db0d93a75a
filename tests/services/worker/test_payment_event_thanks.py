"""The other way round from the reminders: the sandbox confirms a payment and pushes the signed
event to the gateway's `/webhooks/insurer` itself (SANDBOX_EVENTS_URL), and the member is thanked.
Here because this folder has both real services side by side; the webhook's own cases are in
tests/services/channels/whatsapp/test_insurer_events.py."""

from pydantic import SecretStr

from tests.services.channels.whatsapp.conftest import StartGateway
from tests.services.channels.whatsapp.harness import member_in_conversation
from tests.services.worker.conftest import StartInsurer
from tests.services.worker.test_reminder_job import agree

SECRET = "test-insurer-events-secret-shared-by-both"
NBSP = "\u00a0"


async def test_a_payment_the_insurer_confirms_thanks_the_member_on_whatsapp(
    start_gateway: StartGateway, start_insurer: StartInsurer
) -> None:
    async with start_gateway(insurer_events_secret=SecretStr(SECRET)) as gateway:
        events_url = f"{gateway.url}/webhooks/insurer"
        async with start_insurer(
            sandbox_events_url=events_url, insurer_events_secret=SECRET
        ) as insurer:
            member = await member_in_conversation(gateway)
            agreement = await agree(insurer, member, consent=True)
            (installment,) = agreement["installments"]

            paid = await insurer.api.post(
                "/v1/payments", json={"reference": installment["id"], "method": "pix"}
            )

            assert paid.status_code == 201, paid.text
            thanked = (await member.wait_for(2))[1]
            amount = f"{installment['amount_cents'] // 100:,}".replace(",", ".")
            cents = installment["amount_cents"] % 100
            assert thanked["body"] == (
                f"Recebemos o seu pagamento de R${NBSP}{amount},{cents:02d}, parcela 1 de 1 do "
                f"acordo {agreement['id']}, que agora está quitado. Muito obrigada! 💚"
            )
            ((event_id, kind, outcome, _),) = await gateway.db.raw_rows("insurer_events")
            assert (event_id, kind, outcome) == (
                paid.json()["event_id"],
                "payment.confirmed",
                "queued",
            )
