"""The worker's settings, read from the environment (see the "worker" section of .env.example).

`make run` fills them in for the local stack: the sandbox as the insurer, the gateway, and the
tokens it keeps in var/secrets.env.
"""

from pydantic import SecretStr

from common.settings import ServiceSettings


class WorkerServiceSettings(ServiceSettings):
    # The insurer's API (the sandbox locally): the reminders feed, claims and outcomes.
    insurer_api_url: str = "http://127.0.0.1:8002"
    insurer_api_key: SecretStr = SecretStr("")
    # The gateway's outbound API, which sends the reminders to members.
    gateway_url: str = "http://127.0.0.1:8000"
    gateway_api_token: SecretStr = SecretStr("")
    # One HTTP call to either; nobody waits on the worker, so it may be generous.
    worker_http_timeout_seconds: float = 10.0
