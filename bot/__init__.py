"""Custom Rasa components and stores, loaded by the Rasa server (bot environment, Python 3.10)."""
