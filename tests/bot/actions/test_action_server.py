"""The action server's own start: every action in actions/ registers under its name."""

from rasa_sdk.executor import ActionExecutor

from tests.bot.actions.journey_turns import domain


def test_every_action_the_domain_names_is_served() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    custom = [a for a in domain()["actions"] if not a.startswith("utter_")]
    assert sorted(set(custom) - set(executor.actions)) == []
