"""Running Acolhe locally: the stack runner behind `make run` and the end-to-end tests."""
