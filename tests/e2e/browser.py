"""Headless Chromium for the browser tests: Debian's package, never Playwright's own download."""

import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")

# Flags that keep a headless run quiet, offline apart from the page under test, and able to
# start as root inside a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ChromiumUnavailable(RuntimeError):
    """Chromium is missing and could not be installed here."""


def ensure_chromium() -> Path:
    """Return Chromium's path, installing Debian's `chromium` package first when it is missing."""
    if CHROMIUM.exists():
        return CHROMIUM
    apt_get = shutil.which("apt-get")
    if apt_get is None:
        raise ChromiumUnavailable(f"{CHROMIUM} is missing and there is no apt-get to install it")
    if os.geteuid() != 0:
        raise ChromiumUnavailable(
            f"{CHROMIUM} is missing; install it as root with: apt-get install -y chromium"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in ([apt_get, "update"], [apt_get, "install", "-y", "chromium"]):
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            why = result.stderr.strip()[-2000:]
            raise ChromiumUnavailable(f"`{' '.join(command)}` failed ({result.returncode}): {why}")
    if not CHROMIUM.exists():
        raise ChromiumUnavailable(f"apt-get installed chromium but {CHROMIUM} is still missing")
    return CHROMIUM
