"""The base of Acolhe's NLU components: they learn nothing, they only add to each message."""

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from typing_extensions import Self


class MessageComponent(GraphComponent):
    """Built from its config alone; training data passes through untouched.

    Subclasses register with `DefaultV1Recipe.register(..., is_trainable=False)`, take their config
    in `__init__` and implement `process`.
    """

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        raise NotImplementedError
