"""`python -m tests.twilio_standin --port 9999 --account-sid AC... --auth-token ...`

Serves the stand-in as its own process, for benchmarks and manual runs; stop it with Ctrl-C
or SIGTERM.
"""

import argparse
from typing import get_args

import uvicorn

from tests.twilio_standin.app import CallbackMode, create_app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.twilio_standin", description="Local stand-in for Twilio's REST API."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9999)
    parser.add_argument("--account-sid", required=True)
    parser.add_argument("--auth-token", required=True)
    parser.add_argument("--latency-ms", type=int, default=0, help="delay of every API response")
    parser.add_argument("--callback-mode", choices=get_args(CallbackMode), default="read")
    parser.add_argument("--callback-delay-ms", type=int, default=20)
    parser.add_argument("--log-level", default="info")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    app = create_app(
        args.account_sid,
        args.auth_token,
        latency_ms=args.latency_ms,
        callback_mode=args.callback_mode,
        callback_delay_ms=args.callback_delay_ms,
    )
    # No access log: under a benchmark's load it would cost more than the stand-in itself.
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)


if __name__ == "__main__":
    main()
