"""What the FastAPI services share when they start."""

from collections.abc import Callable

from fastapi import FastAPI


def lazy_app(module: str, build: Callable[[], FastAPI]) -> Callable[[str], FastAPI]:
    """A module `__getattr__` that builds `module.app` on first access (uvicorn's) rather than
    at import, so importing the module (tests, tools) reads no environment."""
    built: list[FastAPI] = []

    def __getattr__(name: str) -> FastAPI:
        if name != "app":
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        if not built:
            built.append(build())
        return built[0]

    return __getattr__
